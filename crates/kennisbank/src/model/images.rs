//! Images for pages and news as listed and served (stored by [`crate::store::images`]).

use crate::model::PageKind;

/// An image as listed and served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteImage {
    pub id: String,
    pub file_id: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub created_at: i64,
}

impl SiteImage {
    /// The public address of the picture.
    pub fn href(&self) -> String {
        href(&self.id)
    }
}

/// The public address of image `id`.
pub fn href(id: &str) -> String {
    format!("/afbeeldingen/{id}")
}

/// A page that shows an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub image_id: String,
    pub page_id: String,
    pub kind: PageKind,
    pub title: String,
}
