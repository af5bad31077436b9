//! Releases: a whole plan frozen at a date, as an immutable report; comparison. (Being written.)
