//! `concentration NODE [stage S] [year Y]`, with `assuming` bans and cuts
//! shown beside the baseline.

use crate::analysis::{self, ConcentrationTable, Context, ScenarioTable};
use crate::model::{NodeIndex, Subgraph, format_number};
use crate::syntax::Span;

use super::super::describe::sources_cell;
use super::super::error::{EvalError, EvalErrorKind};
use super::super::result::{Cell, QueryResult};

/// The stage a `concentration` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageChoice {
    /// `stage refining` (checked, lower case).
    Given(String),
    /// No `stage` clause: the item's default stage, said in a note.
    Default,
    /// `stage all`: every stage.
    All,
}

const COLUMNS: &[&str] = &[
    "stage", "year", "rank", "producer", "tonnes", "share", "hhi", "sources",
];
const SCENARIO_COLUMNS: &[&str] = &[
    "stage",
    "year",
    "rank",
    "producer",
    "baseline_tonnes",
    "tonnes",
    "baseline_share",
    "share",
    "share_change",
    "hhi",
    "sources",
];

/// The tables of `item`; under `assuming` a ban or cut (the context's
/// scenarios), each table recomputed beside its baseline. `scenario_span`
/// is the `assuming` modifier's: a scenario that touches no producer of
/// any table shown is an error there.
pub fn concentration(
    ctx: &Context,
    item: NodeIndex,
    choice: StageChoice,
    year: Option<i32>,
    scenario_span: Option<Span>,
) -> Result<QueryResult, EvalError> {
    let graph = ctx.graph;
    let stage = match &choice {
        StageChoice::Given(stage) => Some(stage.clone()),
        StageChoice::Default => analysis::default_stage(ctx, item),
        StageChoice::All => None,
    };
    let stage = stage.as_deref();
    let tables = analysis::concentration(ctx, item, stage, year);
    let what_ifs: Vec<Option<ScenarioTable>> = tables
        .iter()
        .map(|table| analysis::apply_scenarios(ctx, table))
        .collect();
    if let Some(span) = scenario_span {
        if what_ifs.iter().all(Option::is_none) {
            return Err(unchanged(ctx, item, &tables, span));
        }
    }
    let mut result = QueryResult::new(if scenario_span.is_some() {
        SCENARIO_COLUMNS
    } else {
        COLUMNS
    });
    result.base.add_node(item);
    for (table, what_if) in tables.iter().zip(&what_ifs) {
        match (scenario_span, what_if) {
            (Some(_), Some(what_if)) => scenario_rows(ctx, what_if, &mut result),
            _ => baseline_rows(ctx, table, scenario_span.is_some(), &mut result),
        }
    }
    if let (StageChoice::Default, Some(stage)) = (&choice, stage) {
        let others: Vec<String> = analysis::item_stages(ctx, item)
            .into_iter()
            .filter(|other| other != stage)
            .collect();
        let others = if others.is_empty() {
            String::new()
        } else {
            format!(
                "; also {} (`stage NAME`, or `stage all`)",
                others.join(", ")
            )
        };
        result.notes.push(format!(
            "no stage given: showing {stage}, the default stage (mining, else the first stage with figures){others}"
        ));
    }
    if tables.is_empty() {
        let stage_text = stage
            .map(|stage| format!(" at stage {stage}"))
            .unwrap_or_default();
        let year_text = year.map(|year| format!(" in {year}")).unwrap_or_default();
        result.notes.push(format!(
            "no production data for {}{stage_text}{year_text}",
            graph.node(item).id
        ));
    }
    Ok(result)
}

fn unchanged(
    ctx: &Context,
    item: NodeIndex,
    tables: &[ConcentrationTable],
    span: Span,
) -> EvalError {
    let shown: Vec<String> = tables.iter().map(table_label).collect();
    let shown = if shown.is_empty() {
        "no table".to_string()
    } else {
        shown.join(", ")
    };
    EvalError::new(
        EvalErrorKind::Invalid,
        span,
        format!(
            "`assuming {}` changes nothing in `concentration {}` ({shown}): it takes no output off a listed producer of the item or its group",
            ctx.scenarios
                .last()
                .map(|scenario| super::super::modifiers::scenario_text(ctx.graph, scenario))
                .unwrap_or_default(),
            ctx.id(item)
        ),
    )
    .with_hint(Some(
        "name a country listed in the table, or ask another stage with `stage NAME`".to_string(),
    ))
}

fn table_label(table: &ConcentrationTable) -> String {
    format!(
        "{} {}",
        table.stage.as_deref().unwrap_or("all stages"),
        table.year.map_or("-".to_string(), |year| year.to_string())
    )
}

fn stage_year_cells(table: &ConcentrationTable) -> [Cell; 2] {
    [
        table.stage.clone().map_or(Cell::Null, Cell::Text),
        table
            .year
            .map_or(Cell::Null, |year| Cell::Num(f64::from(year))),
    ]
}

fn has_shares(table: &ConcentrationTable) -> bool {
    table
        .producers
        .iter()
        .any(|producer| producer.share.is_some())
}

/// One row per producer; `wide` fills the scenario columns with the
/// baseline (a table no scenario touched).
fn baseline_rows(ctx: &Context, table: &ConcentrationTable, wide: bool, result: &mut QueryResult) {
    let graph = ctx.graph;
    let hhi = if has_shares(table) {
        Cell::Num(table.hhi.round())
    } else {
        Cell::Null
    };
    for (rank, producer) in table.producers.iter().enumerate() {
        let mut evidence = Subgraph::new();
        evidence.add_edge(graph, producer.edge);
        let tonnes = producer.tonnes.map_or(Cell::Null, Cell::Num);
        let share = producer.share.map_or(Cell::Null, Cell::Score);
        let mut cells = stage_year_cells(table).to_vec();
        cells.push(Cell::Num((rank + 1) as f64));
        cells.push(Cell::Node(producer.country));
        if wide {
            let change = producer.share.map_or(Cell::Null, |_| Cell::Num(0.0));
            cells.extend([tonnes.clone(), tonnes, share.clone(), share, change]);
        } else {
            cells.extend([tonnes, share]);
        }
        cells.push(hhi.clone());
        cells.push(sources_cell(graph, graph.edge_sources(producer.edge)));
        result.push(Some(producer.country), cells, evidence);
    }
    result.notes.push(summary(ctx, table));
}

fn scenario_rows(ctx: &Context, what_if: &ScenarioTable, result: &mut QueryResult) {
    let graph = ctx.graph;
    let table = &what_if.scenario;
    let hhi = if has_shares(table) {
        Cell::Num(table.hhi.round())
    } else {
        Cell::Null
    };
    for (rank, producer) in table.producers.iter().enumerate() {
        let before = what_if
            .baseline
            .producers
            .iter()
            .find(|baseline| baseline.edge == producer.edge);
        let before_tonnes = before.and_then(|before| before.tonnes);
        let before_share = before.and_then(|before| before.share);
        let change = match (producer.share, before_share) {
            (Some(after), Some(before)) => Cell::Num(after - before),
            _ => Cell::Null,
        };
        let mut evidence = Subgraph::new();
        evidence.add_edge(graph, producer.edge);
        let mut cells = stage_year_cells(table).to_vec();
        cells.extend([
            Cell::Num((rank + 1) as f64),
            Cell::Node(producer.country),
            before_tonnes.map_or(Cell::Null, Cell::Num),
            producer.tonnes.map_or(Cell::Null, Cell::Num),
            before_share.map_or(Cell::Null, Cell::Score),
            producer.share.map_or(Cell::Null, Cell::Score),
            change,
            hhi.clone(),
            sources_cell(graph, graph.edge_sources(producer.edge)),
        ]);
        result.push(Some(producer.country), cells, evidence);
    }
    result.notes.push(scenario_summary(ctx, what_if));
}

fn summary(ctx: &Context, table: &ConcentrationTable) -> String {
    let top = top_name(ctx, table);
    let figures_from = figures_from(ctx, table);
    if !has_shares(table) {
        return format!(
            "{}: producers listed without shares (top producer {top}); no HHI{figures_from}",
            table_label(table)
        );
    }
    format!(
        "{}: HHI {} (0..10000), top producer {top}, top-3 share {:.1}%, listed shares cover {:.1}%{}{figures_from}",
        table_label(table),
        format_number(table.hhi.round()),
        table.top3_share * 100.0 + 0.0,
        table.coverage * 100.0 + 0.0,
        if table.coverage < 0.999 {
            " (unlisted producers are left out, so HHI is a lower bound)"
        } else {
            ""
        }
    )
}

/// Where a table's figures come from: `; figures: USGS MCS 2025 (official)`.
fn figures_from(ctx: &Context, table: &ConcentrationTable) -> String {
    let mut provenance: Vec<String> = table
        .producers
        .iter()
        .map(|producer| crate::analysis::selection::provenance_text(ctx.graph, producer.edge))
        .collect();
    provenance.sort();
    provenance.dedup();
    format!("; figures: {}", provenance.join(" and "))
}

fn scenario_summary(ctx: &Context, what_if: &ScenarioTable) -> String {
    let (before, after) = (&what_if.baseline, &what_if.scenario);
    let removed: Vec<String> = what_if
        .removed
        .iter()
        .map(|(country, fraction)| {
            format!(
                "{} −{}%",
                ctx.graph.node(*country).name,
                format_number((fraction * 1000.0).round() / 10.0)
            )
        })
        .collect();
    let world = what_if
        .world_tonnes
        .map(|(world_before, world_after)| {
            format!(
                ", world output {} t → {} t",
                format_number(world_before.round()),
                format_number(world_after.round())
            )
        })
        .unwrap_or_default();
    format!(
        "{} under the scenario ({}){world}: HHI {} → {}, top producer {} → {}, top-3 share {:.1}% → {:.1}% (baseline → scenario; unlisted producers keep their output)",
        table_label(after),
        removed.join(", "),
        format_number(before.hhi.round()),
        format_number(after.hhi.round()),
        top_name(ctx, before),
        top_name(ctx, after),
        before.top3_share * 100.0 + 0.0,
        after.top3_share * 100.0 + 0.0,
    )
}

fn top_name(ctx: &Context, table: &ConcentrationTable) -> String {
    table
        .top_producer
        .map(|country| ctx.graph.node(country).name.clone())
        .unwrap_or_else(|| "-".into())
}
