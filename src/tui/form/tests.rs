//! The forms' field order, digit entry, choices, completion and conversion.

use tui_input::{Input, InputRequest};

use super::convert::date_problem;
use super::*;
use jiff::Timestamp;

fn session() -> Session {
    let mut s = Session::new("t", Timestamp::UNIX_EPOCH);
    s.assets
        .push(Asset::new(AssetId(1), "VPN gateway", Category::Network));
    s.assets.push(Asset::new(
        AssetId(2),
        "客戶IP資料庫",
        Category::Information,
    ));
    s.assets
        .push(Asset::new(AssetId(12), "Backup tapes", Category::Hardware));
    s
}

fn type_text(form: &mut Form, s: &Session, text: &str) {
    for c in text.chars() {
        form.input(InputRequest::InsertChar(c), s);
    }
}

#[test]
fn field_order_follows_the_spec() {
    let ids: Vec<FieldId> = Form::for_asset(None).fields.iter().map(|f| f.id).collect();
    use FieldId::*;
    assert_eq!(
        ids,
        [
            Name,
            Owner,
            Confidentiality,
            Integrity,
            Availability,
            Category,
            Location,
            Description
        ]
    );
    let ids: Vec<FieldId> = Form::for_failure_mode(None, None, "")
        .fields
        .iter()
        .map(|f| f.id)
        .take(9)
        .collect();
    assert_eq!(
        ids,
        [
            Mode, Effect, Cause, Asset, Controls, Severity, Occurrence, Detection, Process
        ]
    );
}

#[test]
fn a_digit_sets_the_rating_and_moves_on_and_out_of_scale_is_refused() {
    let s = session();
    let mut form = Form::for_asset(None);
    form.focus_on(FieldId::Integrity);
    assert!(!form.input(InputRequest::InsertChar('5'), &s));
    assert_eq!(form.focused().id, FieldId::Integrity);
    assert!(
        form.message
            .as_deref()
            .unwrap_or("")
            .contains("integrity is rated 1-3")
    );
    assert!(form.input(InputRequest::InsertChar('3'), &s));
    assert_eq!(form.focused().id, FieldId::Availability);
    assert_eq!(form.field(FieldId::Integrity).unwrap().rating, Some(3));
}

/// Every 1-10 field of the failure-mode form, and the field after it.
const ONE_TO_TEN: [(FieldId, FieldId); 6] = [
    (FieldId::Severity, FieldId::Occurrence),
    (FieldId::Occurrence, FieldId::Detection),
    (FieldId::Detection, FieldId::Process),
    (FieldId::RevisedSeverity, FieldId::RevisedOccurrence),
    (FieldId::RevisedOccurrence, FieldId::RevisedDetection),
    // The last field: the form wraps round to the first.
    (FieldId::RevisedDetection, FieldId::Mode),
];

#[test]
fn ten_typed_from_habit_is_ten_in_every_one_to_ten_field() {
    let s = session();
    for (field, next) in ONE_TO_TEN {
        let mut form = Form::for_failure_mode(None, None, "");
        form.focus_on(field);
        type_text(&mut form, &s, "1");
        assert_eq!(form.focused().id, field, "{field:?}: a 1 waits");
        assert!(form.one_waits());
        type_text(&mut form, &s, "0");
        assert_eq!(form.rating_of(field), Some(10), "{field:?}");
        assert_eq!(form.focused().id, next, "{field:?}: on to the next field");
        let after = form.field(next).unwrap();
        assert!(
            after.rating.is_none() && after.value().is_empty(),
            "{field:?}: the next field is untouched"
        );
        assert_eq!(form.message, None);
    }
}

#[test]
fn one_then_tab_is_one_and_the_next_field_in_every_one_to_ten_field() {
    let s = session();
    for (field, next) in ONE_TO_TEN {
        let mut form = Form::for_failure_mode(None, None, "");
        form.focus_on(field);
        type_text(&mut form, &s, "1");
        // Tab: NextField, as the keymap sends it (the form update confirms first).
        form.confirm_waiting_one();
        form.next_field(&s);
        assert_eq!(form.rating_of(field), Some(1), "{field:?}");
        assert_eq!(form.focused().id, next, "{field:?}: one field on, not two");
        assert!(form.field(next).unwrap().rating.is_none(), "{field:?}");
        // A 0 now is a 0 of the next field, not the second digit of "10".
        assert_eq!(form.rating_of(field), Some(1));
    }
}

#[test]
fn a_one_then_another_digit_confirms_the_one_and_the_digit_goes_on() {
    let s = session();
    let mut form = Form::for_failure_mode(None, None, "");
    form.focus_on(FieldId::Severity);
    type_text(&mut form, &s, "158");
    assert_eq!(
        (
            form.rating_of(FieldId::Severity),
            form.rating_of(FieldId::Occurrence),
            form.rating_of(FieldId::Detection)
        ),
        (Some(1), Some(5), Some(8))
    );
    assert_eq!(form.focused().id, FieldId::Process);
    // "11": a 1, and a 1 that waits in the next field.
    let mut form = Form::for_failure_mode(None, None, "");
    form.focus_on(FieldId::Severity);
    type_text(&mut form, &s, "11");
    assert_eq!(form.rating_of(FieldId::Severity), Some(1));
    assert_eq!(form.focused().id, FieldId::Occurrence);
    assert!(form.one_waits());
    // Moving away and back: a 0 is a 10 of its own (a lone 0 still means 10).
    let mut form = Form::for_failure_mode(None, None, "");
    form.focus_on(FieldId::Severity);
    type_text(&mut form, &s, "1");
    form.next_field(&s);
    form.previous_field(&s);
    type_text(&mut form, &s, "0");
    assert_eq!(form.rating_of(FieldId::Severity), Some(10));
    assert_eq!(form.rating_of(FieldId::Occurrence), None);
}

#[test]
fn a_one_in_a_smaller_scale_moves_on_at_once() {
    let s = session();
    let mut form = Form::for_asset(None);
    form.focus_on(FieldId::Confidentiality);
    type_text(&mut form, &s, "1");
    assert_eq!(form.focused().id, FieldId::Integrity);
    assert!(!form.one_waits());
}

#[test]
fn zero_means_ten_in_failure_mode_ratings() {
    let s = session();
    let mut form = Form::for_failure_mode(None, None, "");
    form.focus_on(FieldId::Severity);
    form.input(InputRequest::InsertChar('0'), &s);
    assert_eq!(form.field(FieldId::Severity).unwrap().rating, Some(10));
    assert_eq!(form.focused().id, FieldId::Occurrence);
}

#[test]
fn asset_field_completes_on_id_or_name() {
    let s = session();
    assert_eq!(asset_suggestions(&s, "a-012", 5)[0].id, AssetId(12));
    assert_eq!(
        asset_suggestions(&s, "A-1", 5)[0].id,
        AssetId(1),
        "an exact ID wins"
    );
    assert_eq!(asset_suggestions(&s, "a-0", 5).len(), 3, "an ID prefix");
    assert_eq!(asset_suggestions(&s, "資料", 5)[0].id, AssetId(2));
    assert_eq!(asset_suggestions(&s, "vpn", 5)[0].id, AssetId(1));
    assert!(asset_suggestions(&s, "nothing", 5).is_empty());

    let mut form = Form::for_failure_mode(None, None, "");
    form.focus_on(FieldId::Asset);
    type_text(&mut form, &s, "tape");
    form.next_field(&s);
    assert_eq!(form.field(FieldId::Asset).unwrap().value(), "A-012");
}

#[test]
fn saving_refuses_missing_text_and_ratings_with_the_focus_on_the_field() {
    let s = session();
    let mut form = Form::for_failure_mode(None, Some(AssetId(1)), "Remote access");
    assert!(form.to_failure_mode(FailureModeId(1), &s).is_none());
    assert_eq!(form.focused().id, FieldId::Mode);
    type_text(&mut form, &s, "Stolen VPN token");
    assert!(form.to_failure_mode(FailureModeId(1), &s).is_none());
    assert_eq!(form.focused().id, FieldId::Severity);
    for d in ['8', '4', '6'] {
        form.input(InputRequest::InsertChar(d), &s);
    }
    let fm = form.to_failure_mode(FailureModeId(1), &s).unwrap();
    assert_eq!((fm.severity, fm.occurrence, fm.detection), (8, 4, 6));
    assert_eq!(fm.asset, Some(AssetId(1)), "pre-filled");
    assert_eq!(form.process_name(), "Remote access", "pre-filled");
}

#[test]
fn a_date_in_the_right_layout_but_not_in_the_calendar_says_why() {
    assert_eq!(
        date_problem("2026-02-30"),
        "2026-02-30: February 2026 has 28 days"
    );
    assert_eq!(
        date_problem("2028-02-30"),
        "2028-02-30: February 2028 has 29 days"
    );
    assert_eq!(
        date_problem("2026-04-31"),
        "2026-04-31: April 2026 has 30 days"
    );
    assert_eq!(
        date_problem("2026-13-01"),
        "2026-13-01: there is no month 13"
    );
    assert_eq!(
        date_problem("2026-01-00"),
        "2026-01-00: January 2026 has 31 days"
    );
    assert_eq!(
        date_problem("30.2.2026"),
        "\"30.2.2026\" is not a date: write it as YYYY-MM-DD"
    );
    assert_eq!(
        date_problem("next week"),
        "\"next week\" is not a date: write it as YYYY-MM-DD"
    );
}

#[test]
fn a_bad_date_or_unknown_asset_is_refused() {
    let s = session();
    let mut fm = FailureMode::new(FailureModeId(3), "m");
    fm.severity = 5;
    let mut form = Form::for_failure_mode(Some(&fm), None, "");
    form.focus_on(FieldId::Due);
    type_text(&mut form, &s, "31.12.2026");
    assert!(form.to_failure_mode(FailureModeId(3), &s).is_none());
    assert!(form.message.as_deref().unwrap().contains("YYYY-MM-DD"));
    form.fields
        .iter_mut()
        .find(|f| f.id == FieldId::Due)
        .unwrap()
        .input = Input::new("2026-12-31".into());
    form.focus_on(FieldId::Asset);
    type_text(&mut form, &s, "zzz");
    assert!(form.to_failure_mode(FailureModeId(3), &s).is_none());
    assert_eq!(form.focused().id, FieldId::Asset);
}

#[test]
fn tabbing_into_a_filled_field_selects_it_so_typing_replaces() {
    let s = session();
    let mut form = Form::for_failure_mode(None, Some(AssetId(1)), "Remote access");
    form.focus_on(FieldId::Cause);
    form.next_field(&s);
    assert_eq!(form.focused().id, FieldId::Asset);
    assert!(form.selected_all);
    type_text(&mut form, &s, "tape");
    assert_eq!(form.focused().value(), "tape");
    form.next_field(&s); // Controls, empty
    form.previous_field(&s); // back to Asset, now "A-012"
    form.step(true); // a cursor key keeps the text
    type_text(&mut form, &s, "x");
    assert_eq!(form.focused().value(), "A-012x");
    form.next_field(&s);
    form.previous_field(&s);
    form.input(InputRequest::DeletePrevChar, &s);
    assert_eq!(
        form.focused().value(),
        "",
        "Backspace clears a selected field"
    );
}

#[test]
fn choices_cycle_and_jump_by_letter() {
    let s = session();
    let mut form = Form::for_asset(None);
    form.focus_on(FieldId::Category);
    form.input(InputRequest::InsertChar('s'), &s);
    assert_eq!(form.focused().choice_text(), "Software");
    form.input(InputRequest::InsertChar('s'), &s);
    assert_eq!(form.focused().choice_text(), "Service");
    form.step(false);
    assert_eq!(form.focused().choice_text(), "Software");
    form.next_field(&s);
    form.previous_field(&s);
    form.input(InputRequest::InsertChar('s'), &s);
    form.input(InputRequest::InsertChar('i'), &s);
    assert_eq!(form.focused().choice_text(), "Site", "type-ahead");
}

#[test]
fn the_threshold_form_reads_a_number_and_a_choice() {
    let s = session();
    let mut form = Form::for_threshold(&Threshold::default());
    assert_eq!(form.to_threshold(), Some(Threshold::default()));
    type_text(&mut form, &s, "150");
    form.next_field(&s);
    form.input(InputRequest::InsertChar('n'), &s);
    assert_eq!(
        form.to_threshold(),
        Some(Threshold {
            rpn: 150,
            ap_high: false
        })
    );
    form.focus_on(FieldId::ThresholdRpn);
    type_text(&mut form, &s, "1200");
    assert_eq!(form.to_threshold(), None);
    assert!(form.message.as_deref().unwrap_or("").contains("0 to 1000"));
}

#[test]
fn editing_keeps_every_value() {
    let s = session();
    let mut fm = FailureMode::new(FailureModeId(4), "Mode");
    fm.asset = Some(AssetId(2));
    (fm.severity, fm.occurrence, fm.detection) = (9, 3, 2);
    fm.treatment.decision = Decision::Transfer;
    fm.treatment.status = Status::InProgress;
    fm.treatment.due = Some(jiff::civil::date(2026, 12, 1));
    fm.treatment.revised_occurrence = Some(1);
    let mut form = Form::for_failure_mode(Some(&fm), None, "");
    assert_eq!(form.to_failure_mode(FailureModeId(4), &s).unwrap(), fm);
}
