//! Geometry on the platform (issue 15, points 2, 4 and 11), on top of the pure `geo` library:
//! the data team's geometry upload ([`upload`]: read, check per feature against the places,
//! preview, confirm in one transaction) and the public city map of an indicator ([`view`]).

pub mod upload;
pub mod view;
