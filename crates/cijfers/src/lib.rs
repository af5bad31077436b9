//! Stad in cijfers: city statistics for the 13 centrumsteden and the VGC (issue 15; design in
//! docs/CIJFERS.md). Indicators over geographic levels and periods, imports from Statbel,
//! Fluvius, Swing and generic files, disclosure control before publication, fact sheets,
//! comparison across cities, open data and the climate dashboard.

pub mod disclosure;
