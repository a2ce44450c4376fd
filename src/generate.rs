//! Deterministic large sessions for benchmarks and stress tests (not a user
//! command): N assets, M failure modes, text of realistic length, some of it wide
//! (Chinese, German), ratings spread over the scales. The same arguments always
//! give the same session.

use crate::domain::{Asset, AssetId, Category, FailureMode, Session};

/// A tiny linear congruential generator: enough spread for test data, no crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const SUBJECTS: &[&str] = &[
    "VPN gateway",
    "customer IP repository",
    "EDA licence server",
    "backup tapes",
    "design workstation",
    "directory service",
    "客戶資料庫",
    "機房門禁",
    "Schlüsselverwaltung",
    "firewall rule set",
    "log server",
    "hypervisor cluster",
    "outsourced e-mail",
    "contract archive",
    "privileged account",
];
const FAILURES: &[&str] = &[
    "credentials phished and reused",
    "left unpatched for months",
    "misconfigured after maintenance",
    "copied to removable media",
    "fails over without notice",
    "restored from a corrupt copy",
    "accessed by a former employee",
    "exposed to the internet",
    "資料外洩 durch Fehlkonfiguration",
    "overwritten by a faulty script",
];
const EFFECTS: &[&str] = &[
    "customer IP disclosed to a third party",
    "design work stops for a day",
    "licence breach and penalty",
    "loss of customer trust",
    "regulatory report required",
    "evidence lost for an investigation",
];
const CAUSES: &[&str] = &[
    "no multi-factor authentication",
    "manual change without review",
    "patching depends on one person",
    "monitoring not tuned",
    "unclear ownership",
    "vendor default settings",
];
const CONTROLS: &[&str] = &[
    "quarterly access review",
    "SIEM alert with manual triage",
    "change advisory board",
    "encrypted backups, tested yearly",
    "none",
    "DLP on endpoints",
];
const PROCESSES: &[&str] = &[
    "Remote access to the IP chamber",
    "IP delivery and download control",
    "EDA licence management",
    "Backup and recovery",
    "Administration of the chamber",
    "Staff on-/off-boarding",
];

/// A valid session with `assets` assets and `failure_modes` failure modes.
pub fn large_session(assets: usize, failure_modes: usize, seed: u64) -> Session {
    let mut rng = Lcg(seed ^ 0x005e_ed0f_7157);
    let start = jiff::Timestamp::from_second(1_767_225_600).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let mut session = Session::new(
        format!("Generated register: {assets} assets, {failure_modes} failure modes"),
        start,
    );
    session.organisation = "Generated Holdings Ltd".into();
    for n in 1..=assets {
        // Within the bound: a generated register has far fewer than a billion.
        let id = AssetId(u32::try_from(n).unwrap_or(u32::MAX));
        session.next_ids.asset = id.0.saturating_add(1);
        let subject = rng.pick(SUBJECTS);
        let mut asset = Asset::new(
            id,
            format!("{subject} {n}"),
            Category::ALL[n % Category::ALL.len()],
        );
        asset.owner = rng
            .pick(&["IT manager", "CISO", "Head of design", "資訊科技部"])
            .into();
        asset.location = rng
            .pick(&["Server room R-103", "Hong Kong Science Park", "Cloud (EU)"])
            .into();
        asset.description = format!("{subject} used by {}", rng.pick(PROCESSES));
        asset.confidentiality = 1 + rng.below(4) as u8;
        asset.integrity = 1 + rng.below(3) as u8;
        asset.availability = 1 + rng.below(3) as u8;
        session.assets.push(asset);
    }
    // A handful of processes, far within the bound.
    let processes: Vec<Option<crate::domain::ProcessId>> = PROCESSES
        .iter()
        .map(|name| session.intern_process(name).ok().flatten())
        .collect();
    for n in 1..=failure_modes {
        // Not `allocate_failure_mode_id`: it looks at every record for the
        // highest ID, and here they are made in order.
        let id = crate::domain::FailureModeId(u32::try_from(n).unwrap_or(u32::MAX));
        let mut fm = FailureMode::new(id, format!("{} {}", rng.pick(SUBJECTS), rng.pick(FAILURES)));
        fm.asset =
            (assets > 0 && rng.below(10) > 0).then(|| AssetId(1 + rng.below(assets as u64) as u32));
        fm.process = processes[rng.below(processes.len() as u64) as usize];
        fm.effect = rng.pick(EFFECTS).into();
        fm.cause = rng.pick(CAUSES).into();
        fm.controls = rng.pick(CONTROLS).into();
        fm.severity = 1 + rng.below(10) as u8;
        fm.occurrence = 1 + rng.below(10) as u8;
        fm.detection = 1 + rng.below(10) as u8;
        session.failure_modes.push(fm);
    }
    session.next_ids.failure_mode = u32::try_from(failure_modes + 1).unwrap_or(u32::MAX);
    session
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_sessions_are_valid_and_deterministic() {
        let a = large_session(50, 500, 7);
        let mut next = a.clone();
        assert_eq!(
            next.allocate_failure_mode_id().map(|id| id.0),
            Ok(501),
            "IDs continue after the last"
        );
        assert!(crate::domain::validate(&a).is_empty());
        assert_eq!(a, large_session(50, 500, 7));
        assert_ne!(a, large_session(50, 500, 8));
        assert_eq!((a.assets.len(), a.failure_modes.len()), (50, 500));
        let rpns: std::collections::HashSet<u16> =
            a.failure_modes.iter().map(|f| f.rpn()).collect();
        assert!(rpns.len() > 50, "ratings spread over the scales");
    }
}
