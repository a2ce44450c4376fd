//! The state of the ISMS programme view (`R`, SPEC 9.2): which of its three parts
//! has the keys, the selected row of each, how far the part is scrolled, and the
//! programme as the domain works it out.
//!
//! The domain's views cost a pass (and a sort) over every failure mode: the
//! coverage and the Statement of Applicability count links the way the SoA does.
//! At 100,000 failure modes that is too much for every frame (about a second,
//! BENCHMARKS.md), so they are worked out when the view first opens and kept
//! here ([`Facts`]); after an edit of a step or a document, or on a new day,
//! only the roadmap and the documents are worked out again, and the whole only
//! after a change to more than those. The drawing only reads them.

use jiff::civil::Date;

use crate::domain::annex_a::ControlGroup;
use crate::domain::programme::coverage::{Coverage, coverage};
use crate::domain::programme::documents::{
    Documents, SessionEvidence, documents_holding, evidence_summary, held_evidence,
};
use crate::domain::programme::roadmap::{Roadmap, roadmap};
use crate::domain::programme::{CLAUSES, Clause, STEP_COUNT};
use crate::domain::{Change, Session};

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
    /// What the session holds for each clause (the documents' costly part).
    held: Vec<Option<SessionEvidence>>,
    /// The session's change count and the day they were worked out for.
    generation: u64,
    today: Date,
    /// Whether a change since touched more than the programme's own records:
    /// then the coverage and what the session holds are worked out again too.
    /// A status or a form costs the roadmap and the documents only.
    more_than_records: bool,
}

impl Facts {
    pub fn of(session: &Session, today: Date, generation: u64) -> Facts {
        let held = held_evidence(session);
        Facts {
            roadmap: roadmap(session, today),
            documents: documents_holding(session, today, held.clone()),
            coverage: coverage(session),
            evidence: evidence_summary(session),
            held,
            generation,
            today,
            more_than_records: false,
        }
    }

    /// Whether these are the facts of this change count and day.
    pub fn is_current(&self, generation: u64, today: Date) -> bool {
        self.generation == generation && self.today == today
    }

    /// A change was applied to the session (whether or not the view is open).
    pub fn note(&mut self, change: &Change) {
        self.more_than_records |= !change.is_programme_only();
    }

    /// Worked out again in full at the next [`Facts::refresh`], whatever the
    /// change count then.
    pub fn outdate(&mut self) {
        self.more_than_records = true;
        self.generation = u64::MAX;
    }

    /// The facts of this change count and day: worked out again in full when
    /// more than the programme's records changed, else only the roadmap and
    /// the documents (the day alone moves what is overdue).
    pub fn refresh(&mut self, session: &Session, today: Date, generation: u64) {
        if self.is_current(generation, today) {
            return;
        }
        if self.more_than_records {
            *self = Facts::of(session, today, generation);
            return;
        }
        self.roadmap = roadmap(session, today);
        self.documents = documents_holding(session, today, self.held.clone());
        self.generation = generation;
        self.today = today;
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
