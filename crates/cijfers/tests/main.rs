//! The cijfers module's tests, in one test binary: each file below is a module.
