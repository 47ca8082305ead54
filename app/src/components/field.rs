//! What every form field shares.

/// A field's `aria-describedby`: the ids of its hint and of its error, those it shows, in that order (a screen
/// reader reads the hint, then what is wrong); `None` when it shows neither, so the attribute is left out.
pub fn described_by(hint: Option<&str>, error: Option<&str>) -> Option<String> {
    let ids: Vec<&str> = [hint, error].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[cfg(test)]
mod tests {
    use super::described_by;

    #[test]
    fn hint_then_error_and_nothing_for_neither() {
        assert_eq!(
            described_by(Some("a-hint"), Some("a-error")).as_deref(),
            Some("a-hint a-error")
        );
        assert_eq!(
            described_by(Some("a-hint"), None).as_deref(),
            Some("a-hint")
        );
        assert_eq!(
            described_by(None, Some("a-error")).as_deref(),
            Some("a-error")
        );
        assert_eq!(described_by(None, None), None);
    }
}
