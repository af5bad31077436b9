//! The parameters of disclosure control, per indicator, with defaults that follow common
//! (Eurostat, tau-Argus) practice.

use serde::{Deserialize, Serialize};

/// The (n, k) dominance rule: a cell is sensitive when its `n` largest contributors together
/// make up more than `k_percent` of its value (e.g. one company's share of a sector's energy
/// use).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DominanceRule {
    pub n: usize,
    pub k_percent: f64,
}

/// How wide the interval of a protected cell must be: at least `min_width`, and at least
/// `percent` % of the cell's value; the larger of the two counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProtectionLevel {
    pub percent: f64,
    pub min_width: f64,
}

impl ProtectionLevel {
    /// The width the interval of a cell with this value must at least have.
    pub fn required_width(&self, value: f64) -> f64 {
        (self.percent / 100.0 * value).max(self.min_width)
    }
}

/// What secondary suppression tries to keep small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CostKind {
    /// The suppressed value (tau-Argus' default): hide small cells rather than large ones.
    Value,
    /// The number of contributors behind the suppressed cells.
    Contributors,
    /// The number of suppressed cells.
    Cells,
}

/// The disclosure rules of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DisclosureParams {
    /// Cells with fewer contributors than this (and more than zero) are suppressed.
    pub min_count: u64,
    /// Whether a cell with zero contributors is suppressed too. An empty cell tells that nobody
    /// has the property, which can disclose something about a group (e.g. "no one in this
    /// sector earns above X"); most offices publish zeros, so the default is false.
    pub suppress_zero_cells: bool,
    /// The dominance rule, or none (frequency tables have no contributions).
    pub dominance: Option<DominanceRule>,
    /// The protection every primary suppressed cell needs.
    pub protection: ProtectionLevel,
    /// Whether secondary suppressed cells need the same protection. They hide no sensitive
    /// value themselves, so tau-Argus and GaussSuppression protect only the primary cells.
    pub protect_secondary: bool,
    /// Whether a relation whose two suppressed cells include one with a single contributor
    /// gets a third: that contributor knows their own value and would compute the other.
    pub protect_singletons: bool,
    pub cost: CostKind,
    /// Allowed difference between a total and the sum of its parts.
    pub tolerance: f64,
}

impl Default for DisclosureParams {
    fn default() -> Self {
        DisclosureParams {
            min_count: 5,
            suppress_zero_cells: false,
            dominance: Some(DominanceRule {
                n: 2,
                k_percent: 85.0,
            }),
            protection: ProtectionLevel {
                percent: 30.0,
                min_width: 2.0,
            },
            protect_secondary: false,
            protect_singletons: true,
            cost: CostKind::Value,
            tolerance: 0.0,
        }
    }
}

impl DisclosureParams {
    /// Refuses parameters that make no sense, with a Dutch reason.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(rule) = self.dominance {
            if rule.n == 0 || rule.n > 100 {
                return Err("n van de dominantieregel moet tussen 1 en 100 liggen".into());
            }
            if !(rule.k_percent.is_finite() && rule.k_percent > 0.0 && rule.k_percent < 100.0) {
                return Err("k van de dominantieregel moet strikt tussen 0 en 100 % liggen".into());
            }
        }
        let p = self.protection;
        if !(p.percent.is_finite() && (0.0..=1000.0).contains(&p.percent)) {
            return Err("het beschermingspercentage moet tussen 0 en 1000 liggen".into());
        }
        if !(p.min_width.is_finite() && p.min_width >= 0.0) {
            return Err("de minimale breedte moet een eindig getal ≥ 0 zijn".into());
        }
        if !(self.tolerance.is_finite() && self.tolerance >= 0.0) {
            return Err("de tolerantie voor totalen moet een eindig getal ≥ 0 zijn".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disclosure_params_defaults_are_valid_and_bad_ones_refused() {
        assert!(DisclosureParams::default().validate().is_ok());
        let bad = DisclosureParams {
            dominance: Some(DominanceRule {
                n: 0,
                k_percent: 80.0,
            }),
            ..Default::default()
        };
        assert!(bad.validate().is_err());
        let bad = DisclosureParams {
            dominance: Some(DominanceRule {
                n: 1,
                k_percent: f64::NAN,
            }),
            ..Default::default()
        };
        assert!(bad.validate().is_err());
        let bad = DisclosureParams {
            protection: ProtectionLevel {
                percent: 10.0,
                min_width: -1.0,
            },
            ..Default::default()
        };
        assert!(bad.validate().unwrap_err().contains("breedte"));
    }

    #[test]
    fn disclosure_required_width_takes_the_larger_of_percent_and_minimum() {
        let p = ProtectionLevel {
            percent: 30.0,
            min_width: 2.0,
        };
        assert_eq!(p.required_width(100.0), 30.0);
        assert_eq!(p.required_width(3.0), 2.0);
    }
}
