//! Projects and milestones under an action, with a timeline. (Being written.)
