//! Projects and milestones under an action (see [`crate::projects`]).

use serde::Deserialize;

use crate::model::ItemStatus;

/// A project with its milestones (by due date).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Project {
    pub id: String,
    pub plan_id: String,
    pub item_id: String,
    pub title: String,
    pub description: String,
    pub start_date: String,
    pub end_date: String,
    pub status: ItemStatus,
    pub milestones: Vec<Milestone>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Milestone {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub due_date: String,
    pub done: bool,
}

/// What an editor types for a project.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProjectFields {
    pub title: String,
    pub description: String,
    pub start_date: String,
    pub end_date: String,
    pub status: String,
}

impl ProjectFields {
    pub fn from_project(p: &Project) -> ProjectFields {
        ProjectFields {
            title: p.title.clone(),
            description: p.description.clone(),
            start_date: p.start_date.clone(),
            end_date: p.end_date.clone(),
            status: p.status.as_str().to_string(),
        }
    }
}

/// What an editor types for a milestone.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MilestoneFields {
    pub title: String,
    pub due_date: String,
    /// "on" (a checked box) or empty.
    pub done: String,
}
