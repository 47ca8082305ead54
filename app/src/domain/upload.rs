//! Scanned materials (扫描件): which files the hall accepts, decided by their content, never by their name.

use serde::{Deserialize, Serialize};

/// The largest file one material may be: a scanned A4 page at 300 dpi as JPEG is 1–3 MB; a multi-page PDF fits.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

/// The kinds of file accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    pub fn from_content_type(s: &str) -> Option<FileKind> {
        [FileKind::Pdf, FileKind::Jpeg, FileKind::Png]
            .into_iter()
            .find(|k| k.content_type() == s)
    }
}

/// Why a file was refused; the page words it in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadProblem {
    /// No file chosen, or a file of zero bytes.
    Empty,
    /// Larger than [`MAX_UPLOAD_BYTES`].
    TooLarge,
    /// Not a PDF, JPEG or PNG by its content (whatever its name says).
    NotAllowedType,
}

impl UploadProblem {
    pub fn code(&self) -> &'static str {
        match self {
            UploadProblem::Empty => "empty",
            UploadProblem::TooLarge => "too_large",
            UploadProblem::NotAllowedType => "type",
        }
    }

    pub fn from_code(code: &str) -> Option<UploadProblem> {
        [
            UploadProblem::Empty,
            UploadProblem::TooLarge,
            UploadProblem::NotAllowedType,
        ]
        .into_iter()
        .find(|p| p.code() == code)
    }
}

/// What kind of file these bytes are, by their magic numbers.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileKind::Png)
    } else {
        None
    }
}

/// Accepts a file for a material, or says why not.
pub fn check(bytes: &[u8]) -> Result<FileKind, UploadProblem> {
    if bytes.is_empty() {
        return Err(UploadProblem::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(UploadProblem::TooLarge);
    }
    sniff(bytes).ok_or(UploadProblem::NotAllowedType)
}

/// A file name fit to show back: the last path component, control characters dropped, at most 100 characters.
pub fn display_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.trim().is_empty() {
        "file".to_owned()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_content() {
        assert_eq!(check(b"%PDF-1.7\n..."), Ok(FileKind::Pdf));
        assert_eq!(check(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Ok(FileKind::Jpeg));
        assert_eq!(
            check(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Ok(FileKind::Png)
        );
        // A text file named licence.pdf is still text.
        assert_eq!(
            check(b"hello, I am a pdf"),
            Err(UploadProblem::NotAllowedType)
        );
        assert_eq!(check(b"GIF89a"), Err(UploadProblem::NotAllowedType));
    }

    #[test]
    fn empty_and_oversize_are_refused() {
        assert_eq!(check(b""), Err(UploadProblem::Empty));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_UPLOAD_BYTES + 1, b' ');
        assert_eq!(check(&big), Err(UploadProblem::TooLarge));
        big.truncate(MAX_UPLOAD_BYTES);
        assert_eq!(check(&big), Ok(FileKind::Pdf));
    }

    #[test]
    fn codes_round_trip() {
        for p in [
            UploadProblem::Empty,
            UploadProblem::TooLarge,
            UploadProblem::NotAllowedType,
        ] {
            assert_eq!(UploadProblem::from_code(p.code()), Some(p));
        }
        assert_eq!(
            FileKind::from_content_type("image/png"),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::from_content_type("text/html"), None);
    }

    #[test]
    fn names_are_shown_safely() {
        assert_eq!(display_name("C:\\Users\\li\\租赁合同.pdf"), "租赁合同.pdf");
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("a\u{0}b\nc.png"), "abc.png");
        assert_eq!(display_name(""), "file");
    }
}
