//! The workshop's details (SPEC 9.2 `D`): who takes part, in which role, and
//! who is in the room today. The title, organisation, scope, facilitator and
//! workshop dates sit on the [`Session`] itself; [`super::change::Info`] is
//! all of them as one undoable change.

use serde::{Deserialize, Serialize};

use super::session::Session;

/// Roles the details form offers; any other text is a role too.
pub const ROLES: [&str; 8] = [
    "risk owner",
    "asset owner",
    "process owner",
    "ISMS manager",
    "IT",
    "subject-matter expert",
    "auditor",
    "guest",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Also how the decision log and the sign-offs name the person.
    pub name: String,
    #[serde(default)]
    pub role: String,
    /// In the room today: the decision log records who was present.
    #[serde(default)]
    pub present: bool,
}

impl Participant {
    pub fn new(name: impl Into<String>, role: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            role: role.into(),
            present: false,
        }
    }

    /// A participant of a format-1 file, where each was one line of text,
    /// usually `Name (role)`: the role in brackets at the end becomes the role.
    /// Nothing is lost: `name (role)` of the result is the line as it was.
    pub fn from_line(line: &str) -> Self {
        if let Some(open) = line.rfind(" (")
            && line.ends_with(')')
            && open > 0
        {
            let role = &line[open + 2..line.len() - 1];
            // The last pair of brackets, when nothing is nested in it.
            if !role.contains('(') && !role.contains(')') && !role.trim().is_empty() {
                return Self::new(&line[..open], role);
            }
        }
        Self::new(line, "")
    }

    /// `Name (role)`, or the name alone.
    pub fn label(&self) -> String {
        if self.role.trim().is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.role)
        }
    }
}

impl Session {
    pub fn participant(&self, name: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.name == name)
    }

    /// The names of the participants present today, in list order.
    pub fn present(&self) -> Vec<String> {
        self.participants
            .iter()
            .filter(|p| p.present)
            .map(|p| p.name.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_1_line_splits_into_name_and_role_without_loss() {
        for (line, name, role) in [
            ("Mei Ling Chan (IT manager)", "Mei Ling Chan", "IT manager"),
            (
                "Stefanie Hofmann (legal & contracts counsel)",
                "Stefanie Hofmann",
                "legal & contracts counsel",
            ),
            ("陳大文 (風險負責人)", "陳大文", "風險負責人"),
            ("Grace Leung", "Grace Leung", ""),
            ("(auditor)", "(auditor)", ""),
            ("A (B) (C)", "A (B)", "C"),
            ("A (B (C))", "A (B (C))", ""),
            ("A ( )", "A ( )", ""),
            ("Ana(guest)", "Ana(guest)", ""),
            ("", "", ""),
        ] {
            let p = Participant::from_line(line);
            assert_eq!((p.name.as_str(), p.role.as_str()), (name, role), "{line:?}");
            assert_eq!(p.label(), line, "{line:?} comes back whole");
            assert!(!p.present);
        }
    }

    #[test]
    fn who_is_present() {
        let mut s = Session::new("t", jiff::Timestamp::UNIX_EPOCH);
        s.participants = vec![
            Participant::new("Ana", "risk owner"),
            Participant::new("Bo", "guest"),
            Participant::new("Cai", "auditor"),
        ];
        s.participants[0].present = true;
        s.participants[2].present = true;
        assert_eq!(s.present(), ["Ana", "Cai"]);
        assert_eq!(s.participant("Bo").map(|p| p.role.as_str()), Some("guest"));
        assert!(s.participant("bo").is_none(), "names are exact");
    }
}
