//! XLSX and CSV export of a plan and of its indicators. (Being written.)
