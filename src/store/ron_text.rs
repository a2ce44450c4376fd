//! The canonical text of a session file.

use ron::ser::PrettyConfig;

use crate::domain::Session;

/// The session as canonical RON: pretty-printed, one field per line, four-space
/// indent, records in ID order, ending in a newline. The same session always gives
/// the same bytes, and changing one rating changes one line.
///
/// Written by [`super::canonical`], byte for byte what [`ron_reference`] writes,
/// in a tenth of the time.
pub fn to_ron(session: &Session) -> String {
    super::canonical::to_string(&in_id_order(session))
}

/// The session itself when its records are in ID order, else a sorted copy.
pub(crate) fn in_id_order(session: &Session) -> std::borrow::Cow<'_, Session> {
    if is_in_id_order(session) {
        std::borrow::Cow::Borrowed(session)
    } else {
        let mut copy = session.clone();
        copy.sort_by_id();
        std::borrow::Cow::Owned(copy)
    }
}

/// The canonical text as the `ron` crate writes it through serde: the definition
/// of the format that [`to_ron`] is tested against (and the benchmarks compare).
#[doc(hidden)]
pub fn ron_reference(session: &Session) -> String {
    let config = PrettyConfig::new()
        .struct_names(false)
        .indentor("    ")
        .new_line("\n")
        .escape_strings(true);
    let session = in_id_order(session);
    let mut text = match ron::ser::to_string_pretty(&*session, config) {
        Ok(text) => text,
        // Every type in a session serialises (no maps with non-string keys, no
        // floats); reaching this is a bug in this program, not a user mistake.
        Err(error) => unreachable!("a session always serialises to RON: {error}"),
    };
    text.push('\n');
    text
}

fn is_in_id_order(session: &Session) -> bool {
    session.assets.is_sorted_by_key(|a| a.id)
        && session.processes.is_sorted_by_key(|p| p.id)
        && session.failure_modes.is_sorted_by_key(|f| f.id)
        && session.programme.is_sorted()
}
