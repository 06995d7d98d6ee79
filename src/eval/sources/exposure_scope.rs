//! Exposure split by material: `exposure … by material` (one row per
//! material of each industry) and `exposure TARGET to MATERIAL` (one row per
//! industry and supplier country of that material). Both reuse the numbers
//! of `exposure` unchanged; only the rows are cut differently.

use std::sync::Arc;

use crate::analysis::{self, Context, ExposureTarget, MaterialScope, Supplier};
use crate::model::{NodeIndex, Subgraph};

use super::super::error::EvalError;
use super::super::result::{Cell, LazyCell, QueryResult};
use super::exposure::{analysis_error, evaluation_day, path_cell, row_evidence};
use super::exposure_explain::ExposureDerivation;

/// `exposure TARGET to SUPPLIER [for …] by material`: per industry, one row
/// per (material, issuer) with the factors the industry's score combines.
/// The rows of an industry combine as `1 − Π(1 − exposure)` to its score.
pub fn by_material(
    ctx: &Context,
    target: ExposureTarget,
    supplier: Supplier,
    scope: MaterialScope<'_>,
    span: crate::syntax::Span,
) -> Result<QueryResult, EvalError> {
    let report = analysis::exposure_for(ctx, target, supplier, scope)
        .map_err(|err| analysis_error(err, span))?;
    let graph = ctx.graph;
    let mut result = QueryResult::new(&[
        "industry",
        "country",
        "material",
        "supplier",
        "dependence",
        "supply",
        "severity",
        "exposure",
        "disruption",
        "top_path",
    ]);
    for row in &report.rows {
        let mut materials: Vec<&analysis::MaterialExposure> = row.materials.iter().collect();
        materials.sort_by(|a, b| {
            b.exposure
                .total_cmp(&a.exposure)
                .then(b.disruption.total_cmp(&a.disruption))
                .then_with(|| ctx.id(a.material).cmp(ctx.id(b.material)))
                .then_with(|| ctx.id(a.issuer).cmp(ctx.id(b.issuer)))
        });
        for line in materials {
            let path = row
                .paths
                .iter()
                .find(|path| path.material == line.material && path.issuer == line.issuer);
            let mut evidence = Subgraph::default();
            if let Some(path) = path {
                for link in &path.chain {
                    evidence.add_edge(graph, link.edge);
                }
            }
            let cells = vec![
                Cell::Node(row.industry),
                row.country.map_or(Cell::Null, Cell::Node),
                Cell::Node(line.material),
                Cell::Node(line.issuer),
                Cell::Num(line.dependence),
                Cell::Num(line.supply_share),
                Cell::Num(line.restricted),
                Cell::Score(line.exposure),
                Cell::Num(line.disruption),
                path.map_or(Cell::Null, |_| path_cell(graph, row, path)),
            ];
            result.push(Some(row.industry), cells, evidence);
        }
    }
    result.notes.push(
        "one row per material and supplier: exposure = dependence × supply (× severity for a policy); an industry's score is 1 − Π(1 − exposure) over its rows; top_path is shown for the materials the industry's explanation leads with".to_string(),
    );
    if report.rows.is_empty() {
        result
            .notes
            .push("no exposure: no dependency path reaches a supply of this supplier".to_string());
    }
    result.notes.push(evaluation_day(ctx));
    Ok(result)
}

/// `exposure TARGET to MATERIAL`: every supplier country of the material
/// (and of its elements, for a group), one row per industry and supplier,
/// each the exposure `exposure TARGET to SUPPLIER for MATERIAL` gives, by
/// score. A target country reads its own trade data; an industry the world
/// market.
pub fn to_material(
    ctx: &Context,
    target: ExposureTarget,
    material: NodeIndex,
    span: crate::syntax::Span,
) -> Result<QueryResult, EvalError> {
    let graph = ctx.graph;
    let items = analysis::scope_items(ctx, &[material]);
    let consumer = match target {
        ExposureTarget::Country(country) | ExposureTarget::CountryIndustry { country, .. } => {
            Some(country)
        }
        ExposureTarget::Industry(_) => None,
    };
    let mut rows = Vec::new();
    for supplier in analysis::material_suppliers(ctx, consumer, &items) {
        let report = analysis::exposure_for(ctx, target, Supplier::Country(supplier), Some(&items))
            .map_err(|err| analysis_error(err, span))?;
        rows.extend(
            report
                .rows
                .into_iter()
                .filter(|row| row.score > 0.0)
                .map(|row| (supplier, row)),
        );
    }
    rows.sort_by(|(sa, a), (sb, b)| {
        b.score
            .total_cmp(&a.score)
            .then(b.disruption.total_cmp(&a.disruption))
            .then_with(|| ctx.id(a.industry).cmp(ctx.id(b.industry)))
            .then_with(|| ctx.id(*sa).cmp(ctx.id(*sb)))
    });
    let mut result = QueryResult::new(&[
        "industry",
        "country",
        "supplier",
        "score",
        "disruption",
        "top_path",
        "factors",
    ]);
    result.machine_only.push("factors".to_string());
    let no_rows = rows.is_empty();
    for (supplier, row) in rows {
        let row = Arc::new(row);
        let cells = vec![
            Cell::Node(row.industry),
            row.country.map_or(Cell::Null, Cell::Node),
            Cell::Node(supplier),
            Cell::Score(row.score),
            Cell::Num(row.disruption),
            Cell::Lazy(LazyCell::ExposurePath(Arc::clone(&row))),
            Cell::Lazy(LazyCell::ExposureFactors(Arc::clone(&row))),
        ];
        result.push(Some(row.industry), cells, row_evidence(graph, &row));
        if let Some(last) = result.rows.last_mut() {
            last.explain = ExposureDerivation::of(ctx, row, false);
        }
    }
    let scope: Vec<&str> = items.iter().map(|item| ctx.id(*item)).collect();
    result.notes.push(format!(
        "exposure to {} from each supplier country (through {} only): score = D × σ per supplier, as `exposure … to SUPPLIER for {}`",
        ctx.id(material),
        scope.join(", "),
        ctx.id(material)
    ));
    if no_rows {
        result.notes.push(format!(
            "no exposure: no dependency path of this target reaches {}, or no supplier of it is known",
            ctx.id(material)
        ));
    }
    result.notes.push(evaluation_day(ctx));
    Ok(result)
}
