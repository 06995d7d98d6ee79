//! The world table (`MCS<year>_World_Data.csv`): production by country and
//! stage, capacity, and reserves. One group per commodity and `TYPE`; its
//! `World total` row is the denominator of every share in the group.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use super::emit::{OutFile, Output, Props};
use super::names::{self, CountryName, NodeSpec};
use super::text::{Cell, Table, clean, parse_cell, round_to};
use super::{ImportError, Summary, source_id};

/// How far the countries of a group may sum above its world total (USGS
/// rounds the total) before the total is taken for a slip.
const SHARE_SUM_SLACK: f64 = 1.05;

/// A year column: its index, year and whether USGS marks it estimated.
#[derive(Debug, Clone, Copy)]
struct YearColumn {
    index: usize,
    year: i32,
    estimated: bool,
}

struct Columns {
    commodity: usize,
    country: usize,
    kind: usize,
    unit: usize,
    production: Vec<YearColumn>,
    production_notes: Option<usize>,
    capacity: Vec<YearColumn>,
    reserves: Vec<YearColumn>,
    reserve_notes: Option<usize>,
}

/// The rows of one (item, stage) series.
struct Group<'t> {
    item: NodeSpec,
    rule: names::TypeRule,
    rows: Vec<&'t (usize, Vec<String>)>,
}

pub fn import(table: &Table, out: &mut Output, summary: &mut Summary) -> Result<(), ImportError> {
    let columns = columns(table)?;
    summary
        .rows_read
        .insert(table.file.clone(), table.rows.len());
    let source = source_id(out.edition, "world-data");
    let mut groups: Vec<Group> = Vec::new();
    for row in &table.rows {
        let cell = |index: usize| row.1.get(index).map_or("", String::as_str);
        let commodity = clean(cell(columns.commodity));
        let kind = clean(cell(columns.kind));
        let Some(item) = names::commodity_item(&commodity, &kind) else {
            summary.skip(&format!("world table: unknown commodity \"{commodity}\""));
            continue;
        };
        let rule = names::type_rule(&commodity, &kind);
        let position = groups
            .iter()
            .position(|group| group.item == item && group.rule == rule);
        match position {
            Some(at) => groups[at].rows.push(row),
            None => groups.push(Group {
                item,
                rule,
                rows: vec![row],
            }),
        }
    }
    for group in &groups {
        import_group(table, &columns, group, &source, out, summary);
    }
    Ok(())
}

fn columns(table: &Table) -> Result<Columns, ImportError> {
    let years = |prefix: &str| -> Vec<YearColumn> {
        table
            .header
            .iter()
            .enumerate()
            .filter_map(|(index, header)| {
                let upper = header.to_ascii_uppercase();
                let rest = upper.strip_prefix(prefix)?;
                let estimated = rest.starts_with("EST_");
                let year = rest.trim_start_matches("EST_").parse().ok()?;
                Some(YearColumn {
                    index,
                    year,
                    estimated,
                })
            })
            .collect()
    };
    Ok(Columns {
        commodity: table.column("COMMODITY")?,
        country: table.column("COUNTRY")?,
        kind: table.column("TYPE")?,
        unit: table.column("UNIT_MEAS")?,
        production: years("PROD_"),
        production_notes: table.column("PROD_NOTES").ok(),
        capacity: years("CAP_"),
        reserves: years("RESERVES_"),
        reserve_notes: table.column("RESERVE_NOTES").ok(),
    })
}

/// What the edges of one row share.
struct RowFacts<'r> {
    file: &'r str,
    country: &'static str,
    qualifier: Option<String>,
    unit: String,
    line: usize,
    kind_text: String,
    note: Option<String>,
    reserve_note: Option<String>,
    cells: &'r [String],
}

fn import_group(
    table: &Table,
    columns: &Columns,
    group: &Group,
    source: &str,
    out: &mut Output,
    summary: &mut Summary,
) {
    let totals = world_totals(columns, group, summary);
    let group_unit = group
        .rows
        .iter()
        .map(|row| clean(row.1.get(columns.unit).map_or("", String::as_str)))
        .find(|unit| !unit.is_empty())
        .unwrap_or_default();
    for row in &group.rows {
        let Some((spec, qualifier)) = country_row(columns, row, summary) else {
            continue;
        };
        let cell = |index: Option<usize>| {
            index
                .and_then(|index| row.1.get(index))
                .map(|text| clean(text))
                .filter(|text| !text.is_empty() && !text.eq_ignore_ascii_case("na"))
        };
        let mut unit = clean(row.1.get(columns.unit).map_or("", String::as_str));
        if unit.is_empty() {
            unit = group_unit.clone();
        }
        let facts = RowFacts {
            file: &table.file,
            country: out.node(spec, source),
            qualifier,
            unit,
            line: row.0,
            kind_text: clean(row.1.get(columns.kind).map_or("", String::as_str)),
            note: cell(columns.production_notes),
            reserve_note: cell(columns.reserve_notes),
            cells: &row.1,
        };
        let item = out.node(group.item, source);
        let at = (&facts, item, source);
        row_edges(out, summary, columns, group, at, &totals);
    }
}

/// The world total of each year column, where it can be a denominator:
/// a plain figure no smaller than what the countries sum to (kaolin 2024
/// reads 4,400 beside 2023's 44,400: a slip in the release, no shares).
fn world_totals(columns: &Columns, group: &Group, summary: &mut Summary) -> BTreeMap<usize, Cell> {
    let world = group
        .rows
        .iter()
        .find(|row| country_of(columns, row) == CountryName::WorldTotal);
    let figure = |row: &(usize, Vec<String>), column: usize| {
        parse_cell(row.1.get(column).map_or("", String::as_str))
    };
    let mut totals = BTreeMap::new();
    let Some(world) = world else {
        return totals;
    };
    let year_columns = columns
        .production
        .iter()
        .chain(&columns.capacity)
        .chain(&columns.reserves);
    for column in year_columns {
        let total = figure(world, column.index);
        let countries: f64 = group
            .rows
            .iter()
            .filter(|row| matches!(country_of(columns, row), CountryName::Country { .. }))
            .filter_map(|row| match figure(row, column.index) {
                Cell::Figure { value, .. } => Some(value),
                _ => None,
            })
            .sum();
        if let Cell::Figure { value, bound: None } = total {
            if countries > value * SHARE_SUM_SLACK {
                summary.skip("world table: world total below its countries' sum (a slip in the release; no shares for that year)");
                continue;
            }
        }
        totals.insert(column.index, total);
    }
    totals
}

/// The country of a row, or why the row is not one country's (counted).
fn country_row(
    columns: &Columns,
    row: &(usize, Vec<String>),
    summary: &mut Summary,
) -> Option<(NodeSpec, Option<String>)> {
    match country_of(columns, row) {
        CountryName::Country { spec, qualifier } => Some((spec, qualifier)),
        CountryName::WorldTotal => None,
        CountryName::Others => {
            summary.skip("world table: \"Other countries\" row (not a country)");
            None
        }
        CountryName::Aggregate => {
            summary.skip("world table: a row for several countries together");
            None
        }
        CountryName::Unknown(name) => {
            summary.skip(&format!("world table: unknown country \"{name}\""));
            None
        }
    }
}

/// A row's `produces`, `capacity` and `reserves` edges.
fn row_edges(
    out: &mut Output,
    summary: &mut Summary,
    columns: &Columns,
    group: &Group,
    at: (&RowFacts, &str, &str),
    totals: &BTreeMap<usize, Cell>,
) {
    let facts = at.0;
    let blank = |column: &YearColumn| {
        matches!(
            parse_cell(facts.cells.get(column.index).map_or("", String::as_str)),
            Cell::Unknown
        )
    };
    let total = |column: &YearColumn| totals.get(&column.index).cloned();
    let stage = group.rule.stage.as_deref();
    if let Some(stage) = stage {
        for column in &columns.production {
            figure_edge(
                out,
                summary,
                at,
                "produces",
                Some(stage),
                *column,
                total(column),
            );
        }
    }
    let capacity_columns = if group.rule.capacity && columns_empty(facts, &columns.capacity) {
        &columns.production
    } else {
        &columns.capacity
    };
    if group.rule.capacity || stage.is_some() {
        for column in capacity_columns {
            if group.rule.capacity || !blank(column) {
                figure_edge(out, summary, at, "capacity", stage, *column, total(column));
            }
        }
    }
    let basis = stage
        .and_then(|stage| stage.split_once('-'))
        .map(|(_, basis)| basis.to_string())
        .or_else(|| {
            group
                .rule
                .reserves_only
                .then(|| facts.kind_text.to_lowercase())
        });
    for column in columns.reserves.iter().filter(|column| !blank(column)) {
        reserves_edge(out, summary, at, *column, total(column), basis.clone());
    }
}

fn columns_empty(facts: &RowFacts, columns: &[YearColumn]) -> bool {
    columns.iter().all(|column| {
        matches!(
            parse_cell(facts.cells.get(column.index).map_or("", String::as_str)),
            Cell::Unknown
        )
    })
}

fn country_of(columns: &Columns, row: &(usize, Vec<String>)) -> CountryName {
    names::country_name(row.1.get(columns.country).map_or("", String::as_str))
}

/// One `produces` or `capacity` figure of a row for one year column.
fn figure_edge(
    out: &mut Output,
    summary: &mut Summary,
    (facts, item, source): (&RowFacts, &str, &str),
    kind: &'static str,
    stage: Option<&str>,
    column: YearColumn,
    world: Option<Cell>,
) {
    let text = facts.cells.get(column.index).map_or("", String::as_str);
    let mut props = Props::new();
    if let Some(stage) = stage {
        props.insert("stage".into(), json!(stage));
    }
    props.insert("year".into(), json!(column.year));
    match parse_cell(text) {
        Cell::Figure { value, bound } => {
            amount_props(&mut props, value, bound, &facts.unit);
            share_props(&mut props, summary, value, bound, world);
        }
        Cell::Withheld => {
            props.insert("withheld".into(), json!(true));
        }
        Cell::Unknown if noted_withheld(facts.note.as_deref()) => {
            props.insert("withheld".into(), json!(true));
        }
        Cell::Unknown | Cell::NetExporter => {
            summary.skip(&format!(
                "world table: blank {kind} cell (not available; no figure)"
            ));
            return;
        }
        Cell::Text(text) => {
            summary.skip(&format!("world table: unreadable {kind} cell \"{text}\""));
            return;
        }
    }
    common_props(&mut props, facts, column, facts.note.as_deref());
    let year = column.year.to_string();
    out.edge(
        OutFile::Production,
        (facts.country, kind, item),
        props,
        source,
        (Some(year.clone()), Some(year)),
    );
}

fn reserves_edge(
    out: &mut Output,
    summary: &mut Summary,
    (facts, item, source): (&RowFacts, &str, &str),
    column: YearColumn,
    world: Option<Cell>,
    basis: Option<String>,
) {
    let text = facts.cells.get(column.index).map_or("", String::as_str);
    let Cell::Figure { value, bound } = parse_cell(text) else {
        summary.skip("world table: reserves cell without a figure (\"NA\", \"Large\", …)");
        return;
    };
    let mut props = Props::new();
    props.insert("year".into(), json!(column.year));
    let unit = reserve_unit(facts.reserve_note.as_deref())
        .unwrap_or(&facts.unit)
        .to_string();
    amount_props(&mut props, value, bound, &unit);
    share_props(&mut props, summary, value, bound, world);
    if let Some(basis) = basis {
        props.insert("basis".into(), json!(basis));
    }
    common_props(&mut props, facts, column, facts.reserve_note.as_deref());
    props.remove("estimate");
    let year = column.year.to_string();
    out.edge(
        OutFile::Production,
        (facts.country, "reserves", item),
        props,
        source,
        (Some(year), None),
    );
}

/// A note that says the blank cells are withheld (`W for 23-24`).
fn noted_withheld(note: Option<&str>) -> bool {
    note.is_some_and(|note| note == "W" || note.starts_with("W "))
}

/// The unit a reserves note names, where it differs from the row's
/// (`Crude Ore, million metric tons`).
fn reserve_unit(note: Option<&str>) -> Option<&'static str> {
    let note = note?.to_lowercase();
    ["million metric tons", "thousand metric tons"]
        .into_iter()
        .find(|unit| note.contains(unit))
}

/// `share` = the figure / the group's world total, where both are plain
/// figures (no bound) and the world total is not below the figure (the
/// release's kaolin 2024 world total, 4,400 beside 2023's 44,400, is).
fn share_props(
    props: &mut Props,
    summary: &mut Summary,
    value: f64,
    bound: Option<&str>,
    world: Option<Cell>,
) {
    let Some(Cell::Figure {
        value: total,
        bound: None,
    }) = world
    else {
        return;
    };
    if bound.is_some() || total <= 0.0 {
        return;
    }
    if value > total {
        summary.skip("world table: share not computed, the figure exceeds the world total");
        props.insert("world_amount".into(), number(total));
        return;
    }
    props.insert("share".into(), json!(round_to(value / total, 4)));
    props.insert("world_amount".into(), number(total));
    props.insert("calc".into(), json!(true));
}

fn amount_props(props: &mut Props, value: f64, bound: Option<&str>, unit: &str) {
    props.insert("amount".into(), number(value));
    props.insert("amount_unit".into(), json!(unit));
    if let Some(factor) = names::unit_factor(unit) {
        props.insert("tonnes".into(), number(round_to(value * factor, 6)));
    }
    if let Some(bound) = bound {
        props.insert("bound".into(), json!(bound));
    }
}

fn common_props(props: &mut Props, facts: &RowFacts, column: YearColumn, note: Option<&str>) {
    let noted_estimate = note.is_some_and(|note| {
        let note = note.to_lowercase();
        note.contains("estimated") && note.contains(&column.year.to_string())
    });
    if column.estimated || noted_estimate {
        props.insert("estimate".into(), json!(true));
    }
    if let Some(qualifier) = &facts.qualifier {
        props.insert("qualifier".into(), json!(qualifier));
    }
    if let Some(note) = note {
        props.insert("note".into(), json!(note));
    }
    props.insert("usgs_type".into(), json!(facts.kind_text));
    props.insert("source_file".into(), json!(facts.file));
    props.insert("source_row".into(), json!(facts.line));
}

/// A whole number as an integer, else as a float (stable text either way).
pub fn number(value: f64) -> Json {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}
