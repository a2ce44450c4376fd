//! An asset from one row of the assets file.

use crate::domain::{Asset, AssetId, Category, RatingKind};

use super::cells;
use super::columns::{Columns, Field, FileKind};
use super::table::Row;

/// Where a text column goes in the record.
type TextSlot = fn(&mut Asset) -> &mut String;

const TEXTS: [(Field, TextSlot); 4] = [
    (Field::Name, |a| &mut a.name),
    (Field::Owner, |a| &mut a.owner),
    (Field::Location, |a| &mut a.location),
    (Field::Description, |a| &mut a.description),
];

const RATINGS: [(Field, RatingKind); 3] = [
    (Field::Confidentiality, RatingKind::Confidentiality),
    (Field::Integrity, RatingKind::Integrity),
    (Field::Availability, RatingKind::Availability),
];

/// What a new asset cannot do without: the import never makes up a name,
/// category or rating that the room did not give.
pub const REQUIRED_FOR_NEW: [Field; 5] = [
    Field::Name,
    Field::Category,
    Field::Confidentiality,
    Field::Integrity,
    Field::Availability,
];

/// A blank to build a new asset on; every field is overwritten or required.
pub fn blank() -> Asset {
    Asset::new(AssetId(0), "", Category::Hardware)
}

/// `base` with the row's cells put in: the columns the file has change, the rest
/// keep `base`'s values. With `new`, the columns a new asset needs must all be
/// there. Every problem of the row is returned, not only the first.
pub fn from_row(
    row: &Row,
    columns: &Columns,
    base: &Asset,
    new: bool,
) -> Result<Asset, Vec<String>> {
    let mut asset = base.clone();
    let mut problems = Vec::new();
    if new && let Some(problem) = columns.missing_for_new(FileKind::Assets, &REQUIRED_FOR_NEW) {
        problems.push(problem);
    }
    for (field, slot) in TEXTS {
        if let Some(column) = columns.get(field) {
            *slot(&mut asset) = cells::restore(row.cell(column)).to_string();
        }
    }
    if columns.has(Field::Name) && asset.name.trim().is_empty() {
        problems.push("asset name is empty".to_string());
    }
    if let Some(column) = columns.get(Field::Category) {
        match cells::category(cells::restore(row.cell(column))) {
            Ok(category) => asset.category = category,
            Err(problem) => problems.push(problem),
        }
    }
    for (field, kind) in RATINGS {
        if let Some(column) = columns.get(field) {
            match cells::rating(kind, row.cell(column)) {
                Ok(value) => {
                    if let Err(e) = asset.set_rating(kind, value) {
                        problems.push(e.to_string());
                    }
                }
                Err(problem) => problems.push(problem),
            }
        }
    }
    if problems.is_empty() {
        Ok(asset)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(headers: &[&str]) -> Columns {
        let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        Columns::map(FileKind::Assets, "a.csv", &h, |_| true).unwrap()
    }

    fn row(cells: &[&str]) -> Row {
        Row {
            line: 2,
            cells: cells.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn only_the_columns_in_the_file_change() {
        let mut base = Asset::new(AssetId(4), "Old", Category::Network);
        base.owner = "Ana".into();
        base.confidentiality = 2;
        let c = columns(&["ID", "Name", "C"]);
        let a = from_row(&row(&["A-004", "'=New", "4"]), &c, &base, false).unwrap();
        assert_eq!((a.name.as_str(), a.confidentiality), ("=New", 4));
        assert_eq!(
            (a.owner.as_str(), a.category, a.integrity),
            ("Ana", Category::Network, 1)
        );
    }

    #[test]
    fn a_new_asset_needs_every_rating_and_a_category() {
        let c = columns(&["Name", "Owner", "C"]);
        let err = from_row(&row(&["Server", "Ana", "3"]), &c, &blank(), true).unwrap_err();
        assert_eq!(
            err,
            [
                "a new asset needs Category, Integrity and Availability columns, which the file \
              does not have"
            ]
        );
    }

    #[test]
    fn every_problem_of_a_row_is_listed() {
        let c = columns(&["Name", "Category", "C", "I", "A"]);
        let err = from_row(&row(&[" ", "Toaster", "5", "x", ""]), &c, &blank(), true).unwrap_err();
        assert_eq!(err.len(), 5, "{err:?}");
        assert_eq!(err[0], "asset name is empty");
        assert!(err[1].starts_with("unknown category \"Toaster\""));
        assert_eq!(err[2], "confidentiality 5 is outside its scale 1-4");
        assert_eq!(err[3], "integrity \"x\" is not a whole number (give 1-3)");
        assert_eq!(err[4], "availability is empty (give 1-3)");
    }
}
