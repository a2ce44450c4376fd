//! ISO/IEC 27001 Annex A: the reference lists of controls (2022 and 2013 editions),
//! built into the program, the seed method's five control groups (SPEC 1.3), the
//! correspondence between the two editions, and the search behind the picker.
//!
//! The lists are the CSV files in `data/`, included at compile time, so that the
//! binary needs nothing beside it (a jump host).

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const LIST_2022: &str = include_str!("../../data/iso27001-2022-annex-a.csv");
const LIST_2013: &str = include_str!("../../data/iso27001-2013-annex-a.csv");
/// For each 2022 control: its control group and its 2013 counterparts (ISO/IEC
/// 27002:2022 Annex B). A control new in 2022 has no counterpart; its group was
/// chosen by what it does.
const MAPPING: &str = include_str!("../../data/iso27002-2022-to-2013.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    Iso2022,
    Iso2013,
}

impl Edition {
    pub fn year(self) -> &'static str {
        match self {
            Edition::Iso2022 => "2022",
            Edition::Iso2013 => "2013",
        }
    }
}

/// The five control groups of the seed method, over the 2013 sections:
/// Policy (A.5, A.7, A.18), Organisation structure (A.6, A.15), Process &
/// procedure (A.12, A.13, A.16, A.17), Hardware (A.8, A.11), Software (A.9, A.10,
/// A.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ControlGroup {
    Policy,
    Organisation,
    Process,
    Hardware,
    Software,
}

impl ControlGroup {
    pub const ALL: [ControlGroup; 5] = [
        Self::Policy,
        Self::Organisation,
        Self::Process,
        Self::Hardware,
        Self::Software,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Policy => "Policy",
            Self::Organisation => "Organisation structure",
            Self::Process => "Process & procedure",
            Self::Hardware => "Hardware",
            Self::Software => "Software",
        }
    }

    /// One word, for narrow columns.
    pub fn short_name(self) -> &'static str {
        match self {
            Self::Policy => "Policy",
            Self::Organisation => "Organisation",
            Self::Process => "Process",
            Self::Hardware => "Hardware",
            Self::Software => "Software",
        }
    }

    /// The group of a 2013 section (`A.12`).
    pub fn of_2013_section(section: &str) -> Option<ControlGroup> {
        Some(match section {
            "A.5" | "A.7" | "A.18" => Self::Policy,
            "A.6" | "A.15" => Self::Organisation,
            "A.12" | "A.13" | "A.16" | "A.17" => Self::Process,
            "A.8" | "A.11" => Self::Hardware,
            "A.9" | "A.10" | "A.14" => Self::Software,
            _ => return None,
        })
    }

    fn from_word(word: &str) -> Option<ControlGroup> {
        Self::ALL.into_iter().find(|g| g.short_name() == word)
    }
}

impl fmt::Display for ControlGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// One Annex A control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    /// `A.8.5` (2022) or `A.9.4.2` (2013).
    pub id: String,
    pub title: String,
    /// `A.8`
    pub section: String,
    /// `Technological controls`
    pub section_title: String,
    pub edition: Edition,
    pub group: ControlGroup,
    /// For a 2022 control its 2013 counterparts; for a 2013 control the 2022
    /// controls that took it over.
    pub counterparts: Vec<String>,
}

impl Control {
    /// `A.8.5 Secure authentication`, with `(2013)` after a 2013 title.
    pub fn label(&self) -> String {
        match self.edition {
            Edition::Iso2022 => format!("{} {}", self.id, self.title),
            Edition::Iso2013 => format!("{} {} (2013)", self.id, self.title),
        }
    }
}

/// Both reference lists, 2022 first, each in the order of the standard.
#[derive(Debug)]
pub struct Catalogue {
    controls: Vec<Control>,
    index: HashMap<String, usize>,
}

/// The catalogue built into the program.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(Catalogue::built_in)
}

/// The rows of one of the embedded CSV files, header skipped. The files are part
/// of the program (and tested), so a row that does not parse is left out rather
/// than stopping anything.
fn rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
        .collect()
}

impl Catalogue {
    fn built_in() -> Catalogue {
        let mapping: HashMap<String, (ControlGroup, Vec<String>)> = rows(MAPPING)
            .into_iter()
            .filter_map(|r| match r.as_slice() {
                [id, group, olds] => Some((
                    id.clone(),
                    (
                        ControlGroup::from_word(group)?,
                        olds.split_whitespace().map(String::from).collect(),
                    ),
                )),
                _ => None,
            })
            .collect();
        let mut controls = Vec::new();
        for row in rows(LIST_2022) {
            let [id, title, section, section_title] = row.as_slice() else {
                continue;
            };
            let (group, counterparts) = mapping
                .get(id)
                .cloned()
                .unwrap_or((ControlGroup::Process, Vec::new()));
            controls.push(Control {
                id: id.clone(),
                title: title.clone(),
                section: section.clone(),
                section_title: section_title.clone(),
                edition: Edition::Iso2022,
                group,
                counterparts,
            });
        }
        for row in rows(LIST_2013) {
            let [id, title, section, section_title] = row.as_slice() else {
                continue;
            };
            let Some(group) = ControlGroup::of_2013_section(section) else {
                continue;
            };
            let successors = controls
                .iter()
                .filter(|c| c.edition == Edition::Iso2022 && c.counterparts.contains(id))
                .map(|c| c.id.clone())
                .collect();
            controls.push(Control {
                id: id.clone(),
                title: title.clone(),
                section: section.clone(),
                section_title: section_title.clone(),
                edition: Edition::Iso2013,
                group,
                counterparts: successors,
            });
        }
        let index = controls
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        Catalogue { controls, index }
    }

    pub fn all(&self) -> &[Control] {
        &self.controls
    }

    pub fn edition(&self, edition: Edition) -> impl Iterator<Item = &Control> {
        self.controls.iter().filter(move |c| c.edition == edition)
    }

    /// The control with exactly this (canonical) ID.
    pub fn get(&self, id: &str) -> Option<&Control> {
        self.index.get(id).map(|&i| &self.controls[i])
    }

    /// Where a control stands in the catalogue: 2022 before 2013, each in the
    /// standard's order. Unknown IDs come last.
    pub fn position(&self, id: &str) -> usize {
        self.index.get(id).copied().unwrap_or(usize::MAX)
    }

    /// The control a person means by `8.5`, `a.8.5`, `A.9.4.2`…
    pub fn lookup(&self, text: &str) -> Option<&Control> {
        normalise_id(text).and_then(|id| self.get(&id))
    }

    /// The 2022 controls a linked ID stands for: itself for a 2022 ID, its
    /// successors for a 2013 ID.
    pub fn as_2022(&self, id: &str) -> Vec<&Control> {
        match self.get(id) {
            Some(c) if c.edition == Edition::Iso2022 => vec![c],
            Some(c) => c.counterparts.iter().filter_map(|i| self.get(i)).collect(),
            None => Vec::new(),
        }
    }

    /// The controls that match what was typed into the picker, best first: the
    /// control with that ID; controls whose ID starts with it; then controls whose
    /// title (or section title) holds every word typed, titles that start with
    /// the first word before others. 2022 before 2013 within each rank.
    pub fn search(&self, query: &str) -> Vec<&Control> {
        let query = query.trim();
        if query.is_empty() {
            return Vec::new();
        }
        let exact = normalise_id(query);
        let prefix = id_prefix(query);
        let words: Vec<String> = query
            .to_lowercase()
            .split_whitespace()
            .map(String::from)
            .collect();
        let mut ranked: Vec<(u8, usize)> = self
            .controls
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                if exact.as_deref() == Some(c.id.as_str()) {
                    return Some((0, i));
                }
                if let Some(prefix) = &prefix
                    && id_starts_with(&c.id, prefix)
                {
                    return Some((1, i));
                }
                let title = c.title.to_lowercase();
                let section = c.section_title.to_lowercase();
                let all = words
                    .iter()
                    .all(|w| title.contains(w.as_str()) || section.contains(w.as_str()));
                if !all || words.is_empty() {
                    return None;
                }
                let first = &words[0];
                let rank = if title.starts_with(first.as_str()) {
                    2
                } else if title
                    .split(|ch: char| !ch.is_alphanumeric())
                    .any(|w| w.starts_with(first.as_str()))
                {
                    3
                } else if words.iter().all(|w| title.contains(w.as_str())) {
                    4
                } else {
                    5
                };
                Some((rank, i))
            })
            .collect();
        ranked.sort();
        ranked.into_iter().map(|(_, i)| &self.controls[i]).collect()
    }
}

/// `8.5`, `a.8.5`, `A 8.5`, `A.8.5` → `A.8.5`; two numbers for a 2022 ID, three
/// for a 2013 one. `None` when the text is not an Annex A ID.
pub fn normalise_id(text: &str) -> Option<String> {
    let numbers = id_numbers(text)?;
    if !(2..=3).contains(&numbers.len()) || numbers.iter().any(|n| n.is_empty()) {
        return None;
    }
    let numbers: Option<Vec<u32>> = numbers.iter().map(|n| n.parse().ok()).collect();
    let numbers = numbers?;
    Some(format!(
        "A.{}",
        numbers
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".")
    ))
}

/// The dotted numbers of an ID-like text, the last one possibly still empty
/// (`8.` while typing). `None` when the text is not shaped like an ID.
fn id_numbers(text: &str) -> Option<Vec<&str>> {
    let text = text.trim();
    let rest = text
        .strip_prefix(['A', 'a'])
        .map(|r| r.trim_start_matches(['.', ' ']))
        .unwrap_or(text);
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(rest.split('.').collect())
}

/// The typed numbers as an ID prefix: `8.1` → ["8", "1"], `8.` → ["8", ""].
fn id_prefix(text: &str) -> Option<Vec<String>> {
    id_numbers(text).map(|n| n.into_iter().map(String::from).collect())
}

/// Whether `id` (`A.8.15`) continues the typed numbers: `8.1` matches A.8.1 and
/// A.8.15 and A.8.1.1; `8.` matches everything in A.8.
fn id_starts_with(id: &str, prefix: &[String]) -> bool {
    let parts: Vec<&str> = id.trim_start_matches("A.").split('.').collect();
    if prefix.len() > parts.len() {
        return false;
    }
    let last = prefix.len() - 1;
    prefix.iter().enumerate().all(|(i, p)| {
        if i < last {
            parts[i] == p
        } else {
            parts[i].starts_with(p.as_str())
        }
    })
}

/// How a control is linked to a failure mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ControlState {
    /// In place today: it is one of the reasons the risk is as low as it is.
    Existing,
    /// To be put in place by the treatment.
    Planned,
}

impl ControlState {
    pub fn name(self) -> &'static str {
        match self {
            ControlState::Existing => "existing",
            ControlState::Planned => "planned",
        }
    }
}

impl fmt::Display for ControlState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// One Annex A control linked to a failure mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlLink {
    pub id: String,
    pub state: ControlState,
}

/// The link in `links` that stands for the same 2022 control as `id` in the
/// other edition (A.9.4.2 beside A.8.5): linking both would say the control
/// twice, and perhaps differently, in the Statement of Applicability.
pub fn same_control_linked<'a>(links: &'a [ControlLink], id: &str) -> Option<&'a ControlLink> {
    let catalogue = catalogue();
    let meaning = catalogue.as_2022(id);
    links.iter().find(|link| {
        link.id != id
            && catalogue
                .as_2022(&link.id)
                .iter()
                .any(|c| meaning.iter().any(|m| m.id == c.id))
    })
}

/// `links` with `id` set to `state` (or removed for `None`), kept in catalogue
/// order so that the session file does not depend on the order of clicks.
pub fn with_link(links: &[ControlLink], id: &str, state: Option<ControlState>) -> Vec<ControlLink> {
    let mut out: Vec<ControlLink> = links.iter().filter(|l| l.id != id).cloned().collect();
    if let Some(state) = state {
        out.push(ControlLink {
            id: id.to_string(),
            state,
        });
    }
    let catalogue = catalogue();
    out.sort_by(|a, b| {
        catalogue
            .position(&a.id)
            .cmp(&catalogue.position(&b.id))
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

/// The links as people read them: `A.8.5 Secure authentication (existing); …`.
pub fn describe_links(links: &[ControlLink]) -> String {
    let catalogue = catalogue();
    links
        .iter()
        .map(|l| match catalogue.get(&l.id) {
            Some(c) => format!("{} ({})", c.label(), l.state),
            None => format!("{} ({})", l.id, l.state),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_and_its_other_edition_are_the_same_control() {
        let links = with_link(&[], "A.8.5", Some(ControlState::Planned));
        assert_eq!(
            same_control_linked(&links, "A.9.4.2").map(|l| l.id.as_str()),
            Some("A.8.5")
        );
        let links = with_link(&[], "A.9.4.2", Some(ControlState::Existing));
        assert_eq!(
            same_control_linked(&links, "A.8.5").map(|l| l.id.as_str()),
            Some("A.9.4.2")
        );
        // Another control, and the link itself, are not.
        assert_eq!(same_control_linked(&links, "A.8.13"), None);
        assert_eq!(same_control_linked(&links, "A.9.4.2"), None);
    }

    #[test]
    fn both_reference_lists_are_built_in_whole() {
        let c = catalogue();
        assert_eq!(c.edition(Edition::Iso2022).count(), 93);
        assert_eq!(c.edition(Edition::Iso2013).count(), 114);
        assert_eq!(
            c.get("A.8.5").map(|c| c.title.as_str()),
            Some("Secure authentication")
        );
        assert_eq!(
            c.get("A.7.2.2").map(|c| c.title.as_str()),
            Some("Information security awareness, education and training"),
            "a quoted title with commas"
        );
        assert_eq!(
            c.get("A.14.1.1").map(|c| c.section_title.as_str()),
            Some("System acquisition, development and maintenance")
        );
    }

    #[test]
    fn every_control_has_a_group_and_the_editions_map_onto_each_other() {
        let c = catalogue();
        for control in c.edition(Edition::Iso2013) {
            assert!(
                !control.counterparts.is_empty(),
                "{} has no 2022 successor",
                control.id
            );
            assert_eq!(
                Some(control.group),
                ControlGroup::of_2013_section(&control.section)
            );
        }
        for control in c.edition(Edition::Iso2022) {
            for old in &control.counterparts {
                assert!(c.get(old).is_some(), "{} -> {old}", control.id);
            }
            // A 2022 control sits in the group of its first 2013 counterpart.
            if let Some(first) = control.counterparts.first().and_then(|id| c.get(id)) {
                assert_eq!(control.group, first.group, "{}", control.id);
            }
        }
        let groups: std::collections::HashSet<ControlGroup> =
            c.edition(Edition::Iso2022).map(|c| c.group).collect();
        assert_eq!(groups.len(), 5, "all five groups are used");
        let ids: Vec<&str> = c.as_2022("A.9.4.2").iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["A.8.5"]);
        assert_eq!(
            c.get("A.8.5").map(|c| c.group),
            Some(ControlGroup::Software)
        );
        assert_eq!(
            c.get("A.7.7").map(|c| c.group),
            Some(ControlGroup::Hardware)
        );
    }

    #[test]
    fn ids_are_normalised_from_what_people_type() {
        for (typed, id) in [
            ("8.5", Some("A.8.5")),
            ("A.8.5", Some("A.8.5")),
            ("a.8.5", Some("A.8.5")),
            (" A 8.5 ", Some("A.8.5")),
            ("A8.5", Some("A.8.5")),
            ("9.4.2", Some("A.9.4.2")),
            ("A.08.05", Some("A.8.5")),
            ("8", None),
            ("8.", None),
            ("8.5.1.2", None),
            ("authentication", None),
            ("", None),
            ("A.", None),
        ] {
            assert_eq!(normalise_id(typed).as_deref(), id, "{typed:?}");
        }
        assert_eq!(
            catalogue().lookup("9.4.2").map(|c| c.edition),
            Some(Edition::Iso2013)
        );
        assert!(catalogue().lookup("8.99").is_none());
    }

    fn first_ids(query: &str, n: usize) -> Vec<String> {
        catalogue()
            .search(query)
            .iter()
            .take(n)
            .map(|c| c.id.clone())
            .collect()
    }

    #[test]
    fn the_picker_finds_a_control_by_id_or_by_words() {
        assert_eq!(first_ids("8.5", 1), ["A.8.5"]);
        assert_eq!(first_ids("A.8.5", 1), ["A.8.5"]);
        let by_word = first_ids("authentication", 10);
        assert_eq!(by_word[0], "A.5.17", "a title that starts with the word");
        assert!(by_word.contains(&"A.8.5".to_string()), "{by_word:?}");
        assert!(
            by_word.iter().position(|i| i == "A.8.5") < by_word.iter().position(|i| i == "A.9.2.4"),
            "2022 before 2013 in the same rank: {by_word:?}"
        );
        assert_eq!(first_ids("secure auth", 1), ["A.8.5"], "every word counts");
        assert_eq!(first_ids("SECURE AUTHENTICATION", 1), ["A.8.5"]);
        // An ID prefix lists the controls under it, 2022 first.
        let under = first_ids("8.1", 12);
        assert_eq!(under[0], "A.8.1");
        assert!(under.contains(&"A.8.15".to_string()));
        assert!(under.contains(&"A.8.1.1".to_string()), "{under:?}");
        // 2013 IDs are found too.
        assert_eq!(first_ids("9.4.2", 1), ["A.9.4.2"]);
        assert_eq!(first_ids("a.9.4", 5).len(), 5);
        // Section titles count: every physical control.
        assert!(catalogue().search("physical").len() >= 14);
        assert!(catalogue().search("").is_empty());
        assert!(catalogue().search("zzzz").is_empty());
        assert!(catalogue().search("8.99").is_empty());
    }

    #[test]
    fn links_stay_in_catalogue_order_and_can_be_changed_or_removed() {
        let links = with_link(&[], "A.8.5", Some(ControlState::Planned));
        let links = with_link(&links, "A.9.4.2", Some(ControlState::Existing));
        let links = with_link(&links, "A.5.17", Some(ControlState::Existing));
        let ids: Vec<&str> = links.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["A.5.17", "A.8.5", "A.9.4.2"]);
        let links = with_link(&links, "A.8.5", Some(ControlState::Existing));
        assert_eq!(links[1].state, ControlState::Existing);
        let links = with_link(&links, "A.8.5", None);
        assert_eq!(links.len(), 2);
        assert_eq!(
            describe_links(&links),
            "A.5.17 Authentication information (existing); \
             A.9.4.2 Secure log-on procedures (2013) (existing)"
        );
    }
}
