//! Action Priority (AIAG-VDA FMEA handbook, 2019), shown beside the RPN.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declared L, M, H so that a higher priority compares greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ActionPriority {
    L,
    M,
    H,
}

impl ActionPriority {
    pub fn letter(self) -> char {
        match self {
            Self::H => 'H',
            Self::M => 'M',
            Self::L => 'L',
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::H => "High",
            Self::M => "Medium",
            Self::L => "Low",
        }
    }
}

impl fmt::Display for ActionPriority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Self::H => "H",
            Self::M => "M",
            Self::L => "L",
        })
    }
}

use ActionPriority::{H, L, M};

/// Rows: severity bands 9-10, 7-8, 4-6, 2-3, 1. Columns: occurrence bands 8-10,
/// 6-7, 4-5, 2-3, 1. Innermost: detection bands 7-10, 5-6, 2-4, 1.
const TABLE: [[[ActionPriority; 4]; 5]; 5] = [
    [
        [H, H, H, H],
        [H, H, H, H],
        [H, H, H, M],
        [H, M, L, L],
        [L, L, L, L],
    ],
    [
        [H, H, H, H],
        [H, H, H, M],
        [H, M, M, M],
        [M, M, L, L],
        [L, L, L, L],
    ],
    [
        [H, H, M, M],
        [M, M, M, L],
        [M, L, L, L],
        [L, L, L, L],
        [L, L, L, L],
    ],
    [
        [M, M, L, L],
        [L, L, L, L],
        [L, L, L, L],
        [L, L, L, L],
        [L, L, L, L],
    ],
    [
        [L, L, L, L],
        [L, L, L, L],
        [L, L, L, L],
        [L, L, L, L],
        [L, L, L, L],
    ],
];

fn severity_band(s: u8) -> usize {
    match s {
        9.. => 0,
        7..=8 => 1,
        4..=6 => 2,
        2..=3 => 3,
        _ => 4,
    }
}

fn occurrence_band(o: u8) -> usize {
    match o {
        8.. => 0,
        6..=7 => 1,
        4..=5 => 2,
        2..=3 => 3,
        _ => 4,
    }
}

fn detection_band(d: u8) -> usize {
    match d {
        7.. => 0,
        5..=6 => 1,
        2..=4 => 2,
        _ => 3,
    }
}

/// AP for ratings on the 1-10 scales (values outside are clamped to the nearest band).
pub fn action_priority(severity: u8, occurrence: u8, detection: u8) -> ActionPriority {
    TABLE[severity_band(severity)][occurrence_band(occurrence)][detection_band(detection)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPEC 1.2's table, copied as text, so the test does not share the code's array.
    const SPEC_TABLE: &str = "
        9-10 | HHHH | HHHH | HHHM | HMLL | LLLL
        7-8  | HHHH | HHHM | HMMM | MMLL | LLLL
        4-6  | HHMM | MMML | MLLL | LLLL | LLLL
        2-3  | MMLL | LLLL | LLLL | LLLL | LLLL
        1    | LLLL | LLLL | LLLL | LLLL | LLLL";
    const O_BANDS: [(u8, u8); 5] = [(8, 10), (6, 7), (4, 5), (2, 3), (1, 1)];
    const D_BANDS: [(u8, u8); 4] = [(7, 10), (5, 6), (2, 4), (1, 1)];

    fn range(text: &str) -> (u8, u8) {
        match text.split_once('-') {
            Some((lo, hi)) => (lo.parse().unwrap(), hi.parse().unwrap()),
            None => (text.parse().unwrap(), text.parse().unwrap()),
        }
    }

    #[test]
    fn every_cell_of_the_spec_table_for_every_rating() {
        let mut checked = 0;
        for line in SPEC_TABLE.lines().filter(|l| !l.trim().is_empty()) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let (s_lo, s_hi) = range(cells[0]);
            for (col, &(o_lo, o_hi)) in O_BANDS.iter().enumerate() {
                let letters: Vec<char> = cells[col + 1].chars().collect();
                for (k, &(d_lo, d_hi)) in D_BANDS.iter().enumerate() {
                    for s in s_lo..=s_hi {
                        for o in o_lo..=o_hi {
                            for d in d_lo..=d_hi {
                                assert_eq!(
                                    action_priority(s, o, d).letter(),
                                    letters[k],
                                    "S={s} O={o} D={d}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 1000, "all S x O x D combinations");
    }

    #[test]
    fn spec_examples() {
        assert_eq!(action_priority(9, 5, 1), M);
        assert_eq!(action_priority(7, 6, 6), H);
        assert_eq!(action_priority(1, 10, 10), L);
        assert_eq!(action_priority(10, 10, 10), H);
    }

    #[test]
    fn higher_priority_compares_greater() {
        assert!(H > M && M > L);
    }
}
