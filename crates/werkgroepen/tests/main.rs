//! The werkgroepen module's tests, in one test binary: each file below is a module, so that the
//! shell, the plan, kennisbank and werkgroepen modules and steden-testkit are linked once.

mod cadence_dateutil;
