//! Colour themes: RON files in `themes/` (embedded in the binary) or in the user's
//! config directory. Every style can carry modifiers, and the mono theme uses
//! nothing else, because nothing on screen may be said by colour alone.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The themes built into the binary, so that it runs anywhere (a jump host).
pub const BUILT_IN: [(&str, &str); 4] = [
    ("dark", include_str!("../../themes/dark.ron")),
    ("light", include_str!("../../themes/light.ron")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.ron"),
    ),
    ("mono", include_str!("../../themes/mono.ron")),
];

/// One style as written in a theme file: colours by name (`"yellow"`), index
/// (`"208"`) or hex (`"#ffaf00"`), plus modifiers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    bold: bool,
    italic: bool,
    underlined: bool,
    reversed: bool,
    dim: bool,
}

macro_rules! theme_fields {
    ($($(#[$doc:meta])* $field:ident),* $(,)?) => {
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        struct Styles {
            $($field: StyleSpec,)*
        }

        /// The resolved styles the screen draws with.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Theme {
            pub name: String,
            $($(#[$doc])* pub $field: Style,)*
        }

        impl Styles {
            fn resolve(self, name: String) -> Result<Theme, String> {
                Ok(Theme {
                    name,
                    $($field: self.$field.resolve(stringify!($field))?,)*
                })
            }
        }
    };
}

theme_fields! {
    /// Text everywhere unless something more specific applies.
    base,
    title,
    stage,
    stage_current,
    saved,
    unsaved,
    read_only,
    border,
    border_focused,
    header,
    selected,
    /// The cell under the column cursor in the selected row.
    cursor,
    ap_high,
    ap_medium,
    ap_low,
    class_a,
    class_b,
    class_c,
    muted,
    overdue,
    info,
    error,
    key,
    hint,
    dialog,
    input,
    input_focused,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    styles: Styles,
}

impl StyleSpec {
    fn resolve(self, field: &str) -> Result<Style, String> {
        let colour = |value: Option<String>, which: &str| -> Result<Option<Color>, String> {
            value
                .map(|text| {
                    Color::from_str(&text).map_err(|_| {
                        format!("styles.{field}.{which}: {text:?} is not a colour (a name such as \"yellow\", an index 0-255, or \"#rrggbb\")")
                    })
                })
                .transpose()
        };
        let mut style = Style::default();
        if let Some(fg) = colour(self.fg, "fg")? {
            style = style.fg(fg);
        }
        if let Some(bg) = colour(self.bg, "bg")? {
            style = style.bg(bg);
        }
        for (on, modifier) in [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
            (self.dim, Modifier::DIM),
        ] {
            if on {
                style = style.add_modifier(modifier);
            }
        }
        Ok(style)
    }
}

/// A theme that could not be read, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeError(pub String);

impl fmt::Display for ThemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ThemeError {}

impl Theme {
    /// Parses theme text; `origin` names it in messages (a path or `built-in dark`).
    pub fn parse(text: &str, origin: &str) -> Result<Theme, ThemeError> {
        // `fg: "yellow"` rather than `fg: Some("yellow")`: theme files are for people.
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let file: ThemeFile = options.from_str(text).map_err(|e| {
            ThemeError(format!(
                "theme {origin}:{}:{}: {}",
                e.span.start.line, e.span.start.col, e.code
            ))
        })?;
        file.styles
            .resolve(file.name)
            .map_err(|message| ThemeError(format!("theme {origin}: {message}")))
    }

    pub fn built_in(name: &str) -> Option<Theme> {
        let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name)?;
        Theme::parse(text, &format!("built-in {name}")).ok()
    }

    /// The default theme. The built-in files are tested, so this always parses;
    /// should it ever not, the screen still works without colours.
    pub fn dark() -> Theme {
        Theme::built_in("dark").unwrap_or_else(Theme::plain)
    }

    pub fn mono() -> Theme {
        Theme::built_in("mono").unwrap_or_else(Theme::plain)
    }

    /// No styles at all.
    pub fn plain() -> Theme {
        match Styles::default().resolve("plain".into()) {
            Ok(theme) => theme,
            Err(_) => unreachable!("empty styles have no colours to misread"),
        }
    }

    /// Resolves `--theme NAME|PATH`: a built-in name, a `NAME.ron` in the user's
    /// theme directory, or a path. `NO_COLOR` (set and not empty) means mono,
    /// whatever else was asked for.
    pub fn select(
        requested: Option<&str>,
        no_color: bool,
        user_dir: Option<&Path>,
    ) -> Result<Theme, ThemeError> {
        if no_color {
            return Ok(Theme::mono());
        }
        let Some(requested) = requested else {
            return Ok(Theme::dark());
        };
        let user_file = user_dir.map(|dir| dir.join(format!("{requested}.ron")));
        let path: PathBuf = match user_file {
            Some(file) if file.is_file() => file,
            _ => {
                if let Some(theme) = Theme::built_in(requested) {
                    return Ok(theme);
                }
                PathBuf::from(requested)
            }
        };
        if !path.is_file() {
            let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
            return Err(ThemeError(format!(
                "no theme {requested:?}: not a built-in theme ({}), not in {}, and not a file",
                names.join(", "),
                user_dir.map_or_else(
                    || "the config directory".to_string(),
                    |d| d.display().to_string()
                )
            )));
        }
        // A theme is a few kilobytes; a regular file, no planted link, bounded.
        let bytes = crate::store::own_files::read_bounded(&path, 1 << 20)
            .map_err(|e| ThemeError(format!("cannot read theme {}: {e}", path.display())))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| ThemeError(format!("theme {} is not UTF-8 text", path.display())))?;
        Theme::parse(&text, &path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_themes_parse() {
        for (name, text) in BUILT_IN {
            let theme = Theme::parse(text, name).unwrap();
            assert_eq!(theme.name, name);
            assert_ne!(
                theme.selected,
                Style::default(),
                "{name}: the selection must show"
            );
        }
    }

    #[test]
    fn mono_uses_no_colour_at_all() {
        let (_, text) = BUILT_IN[3];
        for line in text.lines() {
            assert!(
                !line.contains("fg:") && !line.contains("bg:"),
                "mono has colour: {line}"
            );
        }
    }

    #[test]
    fn no_color_means_mono_whatever_was_asked() {
        let theme = Theme::select(Some("light"), true, None).unwrap();
        assert_eq!(theme.name, "mono");
    }

    #[test]
    fn a_broken_theme_names_line_and_column() {
        let err =
            Theme::parse("(\n  name: \"x\",\n  styles: (base: (fg: 3)),\n)", "t.ron").unwrap_err();
        assert!(err.0.starts_with("theme t.ron:3:"), "{err}");
        let err =
            Theme::parse("(name: \"x\", styles: (base: (fg: \"nocolour\")))", "t.ron").unwrap_err();
        assert!(
            err.0
                .contains("styles.base.fg: \"nocolour\" is not a colour"),
            "{err}"
        );
        let err = Theme::parse("(name: \"x\", styles: (bsae: ()))", "t.ron").unwrap_err();
        assert!(err.0.contains("bsae"), "{err}");
    }

    #[test]
    fn unknown_theme_names_the_choices() {
        let err = Theme::select(Some("neon"), false, None).unwrap_err();
        assert!(err.0.contains("dark, light, high-contrast, mono"), "{err}");
    }

    #[test]
    fn user_dir_theme_and_path_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let text = "(name: \"mine\", styles: (selected: (reversed: true)))";
        std::fs::write(dir.path().join("mine.ron"), text).unwrap();
        assert_eq!(
            Theme::select(Some("mine"), false, Some(dir.path()))
                .unwrap()
                .name,
            "mine"
        );
        let path = dir.path().join("mine.ron");
        assert_eq!(
            Theme::select(path.to_str(), false, None).unwrap().name,
            "mine"
        );
    }
}
