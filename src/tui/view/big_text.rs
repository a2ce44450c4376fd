//! Large figures for the back of the room: the RPN, the action priority and an
//! asset's class, drawn from one 3 x 5 pixel font in two sizes. Small is three
//! rows of half blocks (`▀ ▄ █`, two pixel rows per text row), for 80x24; large
//! is five rows of full blocks two cells wide per pixel, for a projector. Only
//! block characters, so they read the same without colour.

/// Which of the two sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// Three rows high, three cells a digit.
    Small,
    /// Five rows high, six cells a digit.
    Large,
}

impl Size {
    pub fn height(self) -> usize {
        match self {
            Size::Small => 3,
            Size::Large => 5,
        }
    }
}

/// The pixels of each character, top row first (`#` on).
const GLYPHS: &[(char, [&str; 5])] = &[
    ('0', ["###", "#.#", "#.#", "#.#", "###"]),
    ('1', [".#.", "##.", ".#.", ".#.", "###"]),
    ('2', ["###", "..#", "###", "#..", "###"]),
    ('3', ["###", "..#", "###", "..#", "###"]),
    ('4', ["#.#", "#.#", "###", "..#", "..#"]),
    ('5', ["###", "#..", "###", "..#", "###"]),
    ('6', ["###", "#..", "###", "#.#", "###"]),
    ('7', ["###", "..#", "..#", "..#", "..#"]),
    ('8', ["###", "#.#", "###", "#.#", "###"]),
    ('9', ["###", "#.#", "###", "..#", "###"]),
    ('A', [".#.", "#.#", "###", "#.#", "#.#"]),
    ('B', ["##.", "#.#", "##.", "#.#", "##."]),
    ('C', [".##", "#..", "#..", "#..", ".##"]),
    ('H', ["#.#", "#.#", "###", "#.#", "#.#"]),
    ('L', ["#..", "#..", "#..", "#..", "###"]),
    ('M', ["#...#", "##.##", "#.#.#", "#...#", "#...#"]),
];

fn glyph(c: char) -> Option<&'static [&'static str; 5]> {
    GLYPHS.iter().find(|(g, _)| *g == c).map(|(_, rows)| rows)
}

fn on(row: &str, x: usize) -> bool {
    row.as_bytes().get(x) == Some(&b'#')
}

/// One character in `size`, row by row; `None` for a character the font lacks.
fn draw(c: char, size: Size) -> Option<Vec<String>> {
    let rows = glyph(c)?;
    let width = rows[0].len();
    Some(match size {
        Size::Large => rows
            .iter()
            .map(|row| {
                (0..width)
                    .map(|x| if on(row, x) { "██" } else { "  " })
                    .collect()
            })
            .collect(),
        Size::Small => (0..3)
            .map(|r| {
                let upper = rows.get(2 * r).copied().unwrap_or("");
                let lower = rows.get(2 * r + 1).copied().unwrap_or("");
                (0..width)
                    .map(|x| match (on(upper, x), on(lower, x)) {
                        (true, true) => '█',
                        (true, false) => '▀',
                        (false, true) => '▄',
                        (false, false) => ' ',
                    })
                    .collect()
            })
            .collect(),
    })
}

/// `text` in large characters, row by row, one blank cell between characters
/// (characters the font lacks are left out). Every row has the same width.
pub fn render(text: &str, size: Size) -> Vec<String> {
    let mut out = vec![String::new(); size.height()];
    for (i, drawn) in text.chars().filter_map(|c| draw(c, size)).enumerate() {
        for (row, part) in out.iter_mut().zip(drawn) {
            if i > 0 {
                row.push(' ');
            }
            row.push_str(&part);
        }
    }
    out
}

/// How many cells wide [`render`] draws `text`.
pub fn width(text: &str, size: Size) -> usize {
    render(text, size)
        .first()
        .map_or(0, |row| row.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_glyph_is_five_rows_of_one_width() {
        for (c, rows) in GLYPHS {
            let w = rows[0].len();
            assert!(rows.iter().all(|r| r.len() == w), "{c}");
            assert!(
                rows.iter()
                    .all(|r| r.bytes().all(|b| b == b'#' || b == b'.'))
            );
        }
        for c in "0123456789HMLABC".chars() {
            assert!(glyph(c).is_some(), "{c}");
        }
    }

    #[test]
    fn small_digits_fold_two_pixel_rows_into_one() {
        assert_eq!(render("0", Size::Small), ["█▀█", "█ █", "▀▀▀"]);
        assert_eq!(render("1", Size::Small), ["▄█ ", " █ ", "▀▀▀"]);
        assert_eq!(render("4", Size::Small), ["█ █", "▀▀█", "  ▀"]);
        assert_eq!(
            render("360", Size::Small),
            ["▀▀█ █▀▀ █▀█", "▀▀█ █▀█ █ █", "▀▀▀ ▀▀▀ ▀▀▀"]
        );
    }

    #[test]
    fn large_digits_are_full_blocks_two_cells_a_pixel() {
        let one = render("1", Size::Large);
        assert_eq!(one.len(), 5);
        assert_eq!(one[0], "  ██  ");
        assert_eq!(one[4], "██████");
        assert_eq!(width("1000", Size::Large), 4 * 6 + 3);
        assert_eq!(width("1000", Size::Small), 4 * 3 + 3);
        assert_eq!(width("M", Size::Small), 5);
    }

    #[test]
    fn unknown_characters_are_left_out_and_nothing_is_empty_of_rows() {
        assert_eq!(render("1x", Size::Small), render("1", Size::Small));
        assert_eq!(render("", Size::Large), vec![String::new(); 5]);
        assert_eq!(width("", Size::Small), 0);
    }
}
