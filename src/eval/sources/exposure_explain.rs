//! An exposure row's explanation: the row as the analysis left it, and the
//! lines that tell how its numbers came about, made when a format prints
//! them ([`super::super::derivation::Derivation`]).

use std::fmt::Write as _;
use std::sync::Arc;

use crate::analysis::{self, Context, ExposurePath, ExposureRow, MaterialExposure, SupplyBasis};
use crate::model::{EdgeIndex, Graph, NodeIndex, PartialDate};

use super::super::decimal::Fixed4;
use super::super::derivation::Derivation;
use super::super::describe::source_ids;
use super::super::result::short_number;
use super::exposure::{chain_text, material_of};

/// What an exposure row's explanation is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureDerivation {
    row: Arc<ExposureRow>,
    /// The supplier is a policy: the arithmetic has its severity.
    policy: bool,
    /// The explained supply facts dated after the evaluation day (`as of`),
    /// with their date.
    late: Vec<(EdgeIndex, PartialDate)>,
}

impl ExposureDerivation {
    /// The derivation of `row` as evaluated in `ctx` (none for a row
    /// without an explaining path).
    pub fn of(ctx: &Context, row: Arc<ExposureRow>, policy: bool) -> Derivation {
        if row.paths.is_empty() {
            return Derivation::None;
        }
        let late = match ctx.as_of {
            Some(day) => row
                .paths
                .iter()
                .flat_map(|path| path.supply.edges())
                .filter_map(|edge| Some((edge, ctx.fact_date(edge)?)))
                .filter(|(_, dated)| dated.first_day() > day.last_day())
                .collect(),
            None => Vec::new(),
        };
        Derivation::Exposure(Arc::new(ExposureDerivation { row, policy, late }))
    }

    /// Every line of the explanation.
    pub fn lines(&self, graph: &Graph) -> Vec<String> {
        explain(graph, self)
    }

    /// Line 1 of [`ExposureDerivation::lines`] alone: the leading
    /// material's arithmetic.
    pub fn why(&self, graph: &Graph) -> Option<String> {
        let leading = self
            .row
            .paths
            .iter()
            .find_map(|path| arithmetic_line(graph, self, path));
        leading.or_else(|| self.lines(graph).into_iter().nth(1))
    }
}

/// The chain's links with their weights and sources.
fn chain_factors(graph: &Graph, path: &ExposurePath) -> String {
    let mut text = String::with_capacity(48 * path.chain.len());
    for (position, link) in path.chain.iter().enumerate() {
        if position > 0 {
            text.push_str(" × ");
        }
        let (from, to) = graph.endpoints(link.edge);
        // Writing to a String cannot fail.
        let _ = write!(
            text,
            "{}→{} {}{} [{}]",
            graph.node(from).id,
            graph.node(to).id,
            link.weight,
            caveats(graph, link.edge),
            source_ids(graph, graph.edge_sources(link.edge))
        );
    }
    text
}

/// Where the supply share comes from, with the sources of each factor:
/// whose figure it is (a group's, for an element), its period, and whether
/// it is dated after the evaluation day (`late`: such edges with their date).
fn supply_factors(graph: &Graph, late: &[(EdgeIndex, PartialDate)], path: &ExposurePath) -> String {
    let sourced = |edge| {
        let mut notes = caveats(graph, edge);
        if let Some((_, dated)) = late.iter().find(|(late_edge, _)| *late_edge == edge) {
            notes.push_str(&format!("; dated {dated}, after the evaluation day"));
        }
        format!("{}{notes}", source_ids(graph, graph.edge_sources(edge)))
    };
    let reliance_text = |reliance: f64, edge| {
        let (_, item) = graph.endpoints(edge);
        let of = if item == path.material {
            String::new()
        } else {
            format!(" on {}", graph.node(item).id)
        };
        format!(
            "import reliance{of} {} [{}]",
            short_number(reliance),
            sourced(edge)
        )
    };
    let domestic_text = |domestic: f64| {
        if domestic > 0.0 {
            format!(" + domestic {}", short_number(domestic))
        } else {
            String::new()
        }
    };
    match &path.supply.basis {
        SupplyBasis::Imports {
            reliance,
            reliance_edge,
            import_share,
            import_edges,
            domestic,
        } => {
            let import_sources: Vec<String> =
                import_edges.iter().map(|edge| sourced(*edge)).collect();
            let period = import_edges
                .first()
                .and_then(|edge| graph.edge_prop(*edge, "period"))
                .map(|period| format!(" ({period})"))
                .unwrap_or_default();
            format!(
                "{} × share of imports {}{period} [{}]{}",
                reliance_text(*reliance, *reliance_edge),
                short_number(*import_share),
                import_sources.join(";"),
                domestic_text(*domestic)
            )
        }
        SupplyBasis::RelianceAndWorld {
            reliance,
            reliance_edge,
            world,
            domestic,
        } => format!(
            "{} × {}{}",
            reliance_text(*reliance, *reliance_edge),
            world_text(graph, world, path.material),
            domestic_text(*domestic)
        ),
        SupplyBasis::World(world) => world_text(graph, world, path.material),
    }
}

/// The policies and scenarios that restrict the supply.
fn restriction_factors(graph: &Graph, path: &ExposurePath) -> String {
    let parts: Vec<String> = path
        .restrictions
        .iter()
        .map(|factor| match factor {
            analysis::RestrictionFactor::Policy {
                policy,
                severity,
                restricts_edge,
            } => {
                let condition = analysis::restriction_condition(graph, *restricts_edge)
                    .map(|condition| {
                        format!(
                            " (conditional: {}; severity × coverage)",
                            condition.describe()
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "{} severity {}{condition} [{}]",
                    graph.node(*policy).id,
                    short_number(*severity),
                    source_ids(graph, graph.edge_sources(*restricts_edge))
                )
            }
            analysis::RestrictionFactor::Scenario { fraction } if *fraction >= 1.0 => {
                "the scenario's ban".to_string()
            }
            analysis::RestrictionFactor::Scenario { fraction } => {
                format!("the scenario's cut of {:.0}%", fraction * 100.0)
            }
        })
        .collect();
    parts.join(", ")
}

/// The row's arithmetic: the score from its materials, and for each leading
/// material its dependence, supply and restriction, the strongest chain
/// behind the dependence and the sources of every factor.
fn explain(graph: &Graph, derivation: &ExposureDerivation) -> Vec<String> {
    let row = &derivation.row;
    let who = match row.country {
        Some(country) => format!("{} {}", graph.node(country).id, graph.node(row.industry).id),
        None => graph.node(row.industry).id.clone(),
    };
    let exposed: f64 = row.materials.iter().map(|m| m.exposure).sum();
    let disrupted: f64 = row.materials.iter().map(|m| m.disruption).sum();
    let mut lines = vec![format!(
        "{who}: score {} = 1 − Π(1 − exposure) over {} material(s); disruption {}",
        Fixed4(row.score),
        row.n_materials,
        Fixed4(row.disruption)
    )];
    for path in &row.paths {
        let Some(arithmetic) = arithmetic_line(graph, derivation, path) else {
            continue;
        };
        lines.push(arithmetic);
        lines.push(format!(
            "    dependence over every chain, combined at each junction; the strongest is {} ({}): {}",
            chain_text(graph, path),
            Fixed4(path.dependence),
            chain_factors(graph, path)
        ));
        lines.push(format!(
            "    supply: {}",
            supply_factors(graph, &derivation.late, path)
        ));
        if !path.restrictions.is_empty() {
            lines.push(format!(
                "    restricted by: {}",
                restriction_factors(graph, path)
            ));
        }
    }
    lines.extend(other_materials(graph, row));
    // After the materials, so that line 1 stays the leading material (the
    // table's one-line "why").
    lines.push(format!(
        "  input_share {} = Σ exposure {} ÷ Σ dependence {} over the {} input material(s); disrupted_share {} = Σ disruption {} ÷ the same; strongest {}",
        Fixed4(row.input_share),
        Fixed4(exposed),
        Fixed4(row.dependence_total),
        row.n_inputs,
        Fixed4(row.disrupted_share),
        Fixed4(disrupted),
        Fixed4(row.strongest)
    ));
    lines
}

/// `  gallium: dependence 0.4 × supply 0.98 = 0.392; …`: a path's material
/// and the arithmetic of its exposure (`None` when the path's material is
/// not among the row's).
fn arithmetic_line(
    graph: &Graph,
    derivation: &ExposureDerivation,
    path: &ExposurePath,
) -> Option<String> {
    let material = material_of(&derivation.row, path)?;
    let name = &graph.node(material.material).id;
    let arithmetic = if derivation.policy {
        format!(
            "dependence {} × supply {} × severity {} = {}",
            Fixed4(material.dependence),
            Fixed4(material.supply_share),
            short_number(material.restricted),
            Fixed4(material.exposure)
        )
    } else {
        format!(
            "dependence {} × supply {} = {}; restricted {} → disruption {}",
            Fixed4(material.dependence),
            Fixed4(material.supply_share),
            Fixed4(material.exposure),
            short_number(material.restricted),
            Fixed4(material.disruption)
        )
    };
    Some(format!("  {name}: {arithmetic}"))
}

/// The materials not explained above, by exposure, and what they add
/// together, so that the score can be recomputed from the lines shown.
fn other_materials(graph: &Graph, row: &ExposureRow) -> Option<String> {
    const LISTED: usize = 12;
    let explained = |m: &MaterialExposure| {
        row.paths
            .iter()
            .any(|path| path.material == m.material && path.issuer == m.issuer)
    };
    let mut rest: Vec<&MaterialExposure> = row.materials.iter().filter(|m| !explained(m)).collect();
    if rest.is_empty() {
        return None;
    }
    let combined = 1.0 - rest.iter().map(|m| 1.0 - m.exposure).product::<f64>();
    let by_exposure = |a: &&MaterialExposure, b: &&MaterialExposure| {
        b.exposure
            .total_cmp(&a.exposure)
            .then_with(|| graph.node(a.material).id.cmp(&graph.node(b.material).id))
    };
    if rest.len() > LISTED {
        rest.select_nth_unstable_by(LISTED, by_exposure);
    }
    let shown = rest.len().min(LISTED);
    rest[..shown].sort_by(by_exposure);
    let mut line = String::with_capacity(48 + 16 * shown);
    // Writing to a String cannot fail.
    let _ = write!(line, "  other materials (combined {}): ", Fixed4(combined));
    for (position, m) in rest[..shown].iter().enumerate() {
        if position > 0 {
            line.push_str(", ");
        }
        let _ = write!(line, "{} {}", graph.node(m.material).id, Fixed4(m.exposure));
    }
    if rest.len() > LISTED {
        let _ = write!(line, ", and {} more", rest.len() - LISTED);
    }
    Some(line)
}

/// `world share 0.857 (refining 2022) [usgs-ofr-2024-1057]`
fn world_text(graph: &Graph, world: &analysis::WorldShare, material: NodeIndex) -> String {
    let mut text = String::with_capacity(64);
    text.push_str("world share");
    if material != world.item {
        text.push_str(" of ");
        text.push_str(&graph.node(world.item).id);
    }
    text.push(' ');
    text.push_str(&short_number(world.share));
    text.push_str(" (");
    text.push_str(world.stage.as_deref().unwrap_or("any stage"));
    if let Some(year) = world.year {
        text.push(' ');
        text.push_str(&year.to_string());
    }
    text.push_str(") [");
    text.push_str(&source_ids(graph, graph.edge_sources(world.edge)));
    text.push_str(&caveats(graph, world.edge));
    text.push(']');
    text
}

/// What the data says about its own certainty: `; recalled`, `; estimate`,
/// `; calc`, `; lower bound` (after the sources, inside the brackets).
fn caveats(graph: &Graph, edge: EdgeIndex) -> String {
    let mut notes = Vec::new();
    if graph
        .edge_prop(edge, "confidence")
        .and_then(|value| value.as_str())
        == Some("recalled")
    {
        notes.push("recalled");
    }
    let flag =
        |key: &str| graph.edge_prop(edge, key).and_then(|value| value.as_bool()) == Some(true);
    if flag("estimate") {
        notes.push("estimate");
    }
    if flag("calc") {
        notes.push("calc");
    }
    match graph
        .edge_prop(edge, "bound")
        .and_then(|value| value.as_str())
    {
        Some("lower") => notes.push("lower bound"),
        Some("upper") => notes.push("upper bound"),
        _ => {}
    }
    notes.iter().map(|note| format!("; {note}")).collect()
}
