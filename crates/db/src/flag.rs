//! Booleans are stored as small integers (0/1) so that one column type and one literal work on
//! both backends. Bind with [`to_db`], read with [`from_db`] (rows are decoded as `i64`, which
//! sqlx's `Any` driver accepts for every integer width).

/// The stored form of a boolean.
pub fn to_db(value: bool) -> i16 {
    i16::from(value)
}

/// The boolean a stored small integer stands for: anything but 0 is true.
pub fn from_db(value: i64) -> bool {
    value != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        assert!(from_db(i64::from(to_db(true))));
        assert!(!from_db(i64::from(to_db(false))));
        assert!(from_db(2));
    }
}
