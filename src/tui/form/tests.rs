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

#[test]
fn typing_one_zero_is_taken_as_the_form_says_and_the_form_says_so() {
    let s = session();
    let mut form = Form::for_failure_mode(None, None, "");
    form.focus_on(FieldId::Severity);
    type_text(&mut form, &s, "10");
    assert_eq!(form.rating_of(FieldId::Severity), Some(1));
    assert_eq!(form.rating_of(FieldId::Occurrence), Some(10));
    assert_eq!(
        form.message.as_deref(),
        Some("severity 1 and occurrence 10: for a 10 type 0 alone (Shift-Tab: back)")
    );
    // The next key clears the warning; a 1 followed by another digit says nothing.
    type_text(&mut form, &s, "1");
    assert_eq!(form.message, None);
    let mut form = Form::for_failure_mode(None, None, "");
    form.focus_on(FieldId::Severity);
    type_text(&mut form, &s, "15");
    assert_eq!(form.message, None);
    // Moving away in between is not typing "10".
    let mut form = Form::for_failure_mode(None, None, "");
    form.focus_on(FieldId::Severity);
    type_text(&mut form, &s, "1");
    form.next_field(&s);
    form.previous_field(&s);
    type_text(&mut form, &s, "0");
    assert_eq!(form.message, None);
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
    assert_eq!(fm.process, "Remote access", "pre-filled");
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
