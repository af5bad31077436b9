//! Amounts per item, year, kind and type; budget against realisation. (Being written.)
