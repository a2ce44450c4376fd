//! The state of the ISMS programme view (`R`, SPEC 9.2): which of its three parts
//! has the keys, the selected row of each, how far the part is scrolled, and the
//! programme as the domain works it out.
//!
//! The domain's views cost a pass (and a sort) over every failure mode: the
//! coverage and the Statement of Applicability count links the way the SoA does.
//! At 100,000 failure modes that is too much for every frame, so they are worked
//! out once when the view opens and again after a change or a new day, and kept
//! here ([`Facts`]); the drawing only reads them.

use jiff::civil::Date;

use crate::domain::Session;
use crate::domain::annex_a::ControlGroup;
use crate::domain::programme::coverage::{Coverage, coverage};
use crate::domain::programme::documents::{Documents, documents, evidence_summary};
use crate::domain::programme::roadmap::{Roadmap, roadmap};
use crate::domain::programme::{CLAUSES, Clause, STEP_COUNT};

/// The three parts of the view, in the order Tab walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Roadmap,
    Documents,
    Groups,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Roadmap, Part::Documents, Part::Groups];

    pub fn name(self) -> &'static str {
        match self {
            Part::Roadmap => "Roadmap",
            Part::Documents => "Documents",
            Part::Groups => "Control groups",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// How many rows can be selected in the part: the 24 steps, the 14
    /// clauses, the five groups.
    pub fn rows(self) -> usize {
        match self {
            Part::Roadmap => usize::from(STEP_COUNT),
            Part::Documents => CLAUSES.len(),
            Part::Groups => ControlGroup::ALL.len(),
        }
    }

    /// The next part (the one before when not `forward`), round.
    pub fn next(self, forward: bool) -> Part {
        let n = Self::ALL.len();
        let i = self.index();
        Self::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// A selected row: a roadmap step, a mandatory document, a control group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Step(u8),
    Document(Clause),
    Group(ControlGroup),
}

/// The programme as the domain works it out, as of one change and one day.
#[derive(Debug, Clone)]
pub struct Facts {
    pub roadmap: Roadmap,
    pub documents: Documents,
    pub coverage: Coverage,
    /// What the session holds, in one line (`40 failure modes assessed in
    /// cycle 2, 13 decisions (…), SoA 93 controls, …`).
    pub evidence: String,
    /// The session's change count and the day they were worked out for.
    generation: u64,
    today: Date,
}

impl Facts {
    pub fn of(session: &Session, today: Date, generation: u64) -> Facts {
        Facts {
            roadmap: roadmap(session, today),
            documents: documents(session, today),
            coverage: coverage(session),
            evidence: evidence_summary(session),
            generation,
            today,
        }
    }

    /// Whether these are the facts of this change count and day.
    pub fn is_current(&self, generation: u64, today: Date) -> bool {
        self.generation == generation && self.today == today
    }
}

#[derive(Debug, Clone)]
pub struct ProgrammeView {
    /// On screen. Closed, the view keeps its part and rows for the next `R`.
    pub open: bool,
    pub part: Part,
    /// The selected row of each part, by [`Part::index`].
    pub selected: [usize; 3],
    /// The first line of the part's body on screen.
    pub scroll: usize,
    pub facts: Facts,
}

impl ProgrammeView {
    pub fn new(facts: Facts) -> ProgrammeView {
        ProgrammeView {
            open: true,
            part: Part::Roadmap,
            selected: [0; 3],
            scroll: 0,
            facts,
        }
    }

    /// The selected row of the part with the keys.
    pub fn selected_index(&self) -> usize {
        self.selected[self.part.index()].min(self.part.rows().saturating_sub(1))
    }

    pub fn row(&self) -> Row {
        row_of(self.part, self.selected_index())
    }
}

/// The row at `index` of `part`.
pub fn row_of(part: Part, index: usize) -> Row {
    match part {
        Part::Roadmap => Row::Step(
            u8::try_from(index + 1)
                .unwrap_or(STEP_COUNT)
                .min(STEP_COUNT),
        ),
        Part::Documents => Row::Document(CLAUSES[index.min(CLAUSES.len() - 1)]),
        Part::Groups => Row::Group(ControlGroup::ALL[index.min(ControlGroup::ALL.len() - 1)]),
    }
}
