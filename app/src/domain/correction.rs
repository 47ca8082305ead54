//! Handing in corrections (补正) with files: which materials a correction request asks for again, and which of
//! them still have no new file. The applicant may hand the correction in (resubmit the case, supply a task's
//! corrections) only when every requested material has one; items about the form need no file.

use super::case_flow::{CorrectionItem, CorrectionTarget};

/// The material ids a request names, each once, in the order of the request.
pub fn requested_materials(items: &[CorrectionItem]) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    for item in items {
        if let CorrectionTarget::Material(id) = &item.target {
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
    }
    ids
}

/// The requested materials without a file handed in for this request.
pub fn missing_files<'a>(items: &'a [CorrectionItem], uploaded: &[&str]) -> Vec<&'a str> {
    requested_materials(items)
        .into_iter()
        .filter(|id| !uploaded.contains(id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_requested_material_needs_a_new_file_and_form_items_none() {
        let items = vec![
            CorrectionItem::material("id_copy", "unreadable"),
            CorrectionItem::field("application", "wrong address"),
            CorrectionItem::material("lease", "unsigned"),
            CorrectionItem::material("id_copy", "the back side too"),
        ];
        assert_eq!(requested_materials(&items), vec!["id_copy", "lease"]);
        assert_eq!(missing_files(&items, &[]), vec!["id_copy", "lease"]);
        assert_eq!(missing_files(&items, &["lease", "other"]), vec!["id_copy"]);
        assert!(missing_files(&items, &["lease", "id_copy"]).is_empty());
        let form_only = vec![CorrectionItem::field("application", "wrong address")];
        assert!(missing_files(&form_only, &[]).is_empty());
    }
}
