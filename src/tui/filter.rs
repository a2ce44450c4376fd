//! The `/` filter: which rows contain the typed text (case-insensitive) in any
//! column shown or in the texts behind them.

use crate::domain::{Asset, FailureMode, Session};

/// `needle` must already be lower case.
pub fn asset_matches(asset: &Asset, needle: &str) -> bool {
    [
        asset.id.to_string().as_str(),
        &asset.name,
        asset.category.name(),
        &asset.owner,
        &asset.location,
        &asset.description,
    ]
    .iter()
    .any(|text| contains(text, needle))
}

/// `needle` must already be lower case. The asset's name counts too, so that
/// typing an asset's name shows its failure modes.
pub fn failure_mode_matches(session: &Session, fm: &FailureMode, needle: &str) -> bool {
    let asset_name = fm
        .asset
        .and_then(|id| session.asset(id))
        .map_or("", |a| a.name.as_str());
    let ids = [
        fm.id.to_string(),
        fm.asset.map(|a| a.to_string()).unwrap_or_default(),
    ];
    ids.iter().any(|t| contains(t, needle))
        || [
            session.process_name(fm.process),
            &fm.mode,
            &fm.effect,
            &fm.cause,
            &fm.controls,
            asset_name,
            fm.treatment.status.name(),
            &fm.treatment.owner,
            &fm.treatment.action,
        ]
        .iter()
        .any(|text| contains(text, needle))
}

fn contains(text: &str, needle: &str) -> bool {
    // Most text is ASCII; skip the allocation of to_lowercase when it is.
    if text.is_ascii() && needle.is_ascii() {
        text.as_bytes()
            .windows(needle.len().max(1))
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
            || needle.is_empty()
    } else {
        text.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AssetId, Category, FailureModeId};
    use jiff::Timestamp;

    #[test]
    fn matches_any_text_case_insensitively_including_the_asset_name() {
        let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
        s.assets
            .push(Asset::new(AssetId(1), "VPN Gateway", Category::Network));
        let mut fm = FailureMode::new(FailureModeId(7), "Token stolen");
        fm.asset = Some(AssetId(1));
        fm.cause = "Phishing für Zugangsdaten".into();
        s.failure_modes.push(fm.clone());
        for needle in ["token", "vpn gate", "fm-007", "a-001", "für", "phish"] {
            assert!(failure_mode_matches(&s, &fm, needle), "{needle}");
        }
        assert!(!failure_mode_matches(&s, &fm, "backup"));
        assert!(asset_matches(&s.assets[0], "network"));
        assert!(!asset_matches(&s.assets[0], "客戶"));
    }
}
