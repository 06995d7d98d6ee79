//! The industry-trends tables: US net import reliance with the major import
//! sources (`MCS<year>_Fig2_Net_Import_Reliance.csv`) and the critical
//! minerals' end uses (`MCS<year>_T4_Critical_Minerals_End_Use.csv`).

use serde_json::json;

use super::emit::{OutFile, Output, Props};
use super::names::{self, CountryName, NodeSpec};
use super::text::{Cell, Table, clean, parse_cell, round_to, slug};
use super::{ImportError, Summary, source_id};

const UNITED_STATES: NodeSpec = NodeSpec {
    id: "united-states",
    name: "United States",
    kind: "country",
    aliases: &["US", "USA"],
};

/// The year of the reliance figure and the period of the import sources,
/// read from the column names (`Net_Import_Reliance_pct_2024`,
/// `Major_Import_Sources_2020_2023`).
fn trailing_years(header: &str) -> Vec<i32> {
    header
        .split('_')
        .filter_map(|part| part.parse::<i32>().ok())
        .filter(|year| (1900..2200).contains(year))
        .collect()
}

pub fn import_reliance(
    table: &Table,
    out: &mut Output,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    summary
        .rows_read
        .insert(table.file.clone(), table.rows.len());
    let source = source_id(out.edition, "industry-trends");
    let commodity_col = table.column("Commodity")?;
    let reliance_col = find_prefixed(table, "Net_Import_Reliance")?;
    let sources_col = find_prefixed(table, "Major_Import_Sources")?;
    let notes_col = table.column("Notes").ok();
    let year = trailing_years(&table.header[reliance_col])
        .first()
        .copied()
        .unwrap_or(out.edition - 1);
    let period = match trailing_years(&table.header[sources_col]).as_slice() {
        [first, .., last] => (*first, *last),
        [only] => (*only, *only),
        [] => (year, year),
    };
    for (line, row) in &table.rows {
        let cell = |index: usize| clean(row.get(index).map_or("", String::as_str));
        let label = cell(commodity_col);
        let (head, form) = match label.split_once(',') {
            Some((head, form)) => (clean(head), Some(clean(form))),
            None => (label.clone(), None),
        };
        let Some(item) = names::commodity_item(&head, form.as_deref().unwrap_or("")) else {
            summary.skip(&format!("import reliance: unknown commodity \"{label}\""));
            continue;
        };
        let Some(mut props) = reliance_figure(&cell(reliance_col)) else {
            summary.skip("import reliance: no reliance figure");
            continue;
        };
        let us = out.node(UNITED_STATES, &source);
        let item = out.node(item, &source);
        let mut common = Props::new();
        if let Some(form) = &form {
            common.insert("form".into(), json!(form));
        }
        common.insert("usgs_commodity".into(), json!(label));
        if let Some(note) = notes_col.map(cell).filter(|note| !note.is_empty()) {
            common.insert("note".into(), json!(note));
        }
        common.insert("source_file".into(), json!(table.file));
        common.insert("source_row".into(), json!(line));
        props.insert("year".into(), json!(year));
        props.insert("estimate".into(), json!(true));
        props.extend(common.clone());
        let valid = (Some(year.to_string()), None);
        out.edge(
            OutFile::Reliance,
            (us, "import_reliance", item),
            props,
            &source,
            valid,
        );
        let sources = cell(sources_col);
        let ranked = RankedSources {
            us,
            item,
            period,
            common: &common,
            source: &source,
        };
        ranked_sources(out, summary, &sources, &ranked);
    }
    Ok(())
}

/// A reliance cell as props: `100` → share 1; `>50` → 0.5, a lower bound;
/// `<25` → 0.25, an upper bound; `E` → share 0, net exporter; `W` →
/// withheld. `None` for a blank or unreadable cell.
fn reliance_figure(text: &str) -> Option<Props> {
    let mut props = Props::new();
    match parse_cell(text) {
        Cell::Figure { value, bound } => {
            props.insert("share".into(), json!(round_to(value / 100.0, 4)));
            if let Some(bound) = bound {
                props.insert("bound".into(), json!(bound));
            }
        }
        Cell::NetExporter => {
            props.insert("share".into(), json!(0));
            props.insert("net_exporter".into(), json!(true));
        }
        Cell::Withheld => {
            props.insert("withheld".into(), json!(true));
        }
        Cell::Unknown | Cell::Text(_) => return None,
    }
    Some(props)
}

/// What the ranked import sources of one row share.
struct RankedSources<'a> {
    us: &'a str,
    item: &'a str,
    period: (i32, i32),
    common: &'a Props,
    source: &'a str,
}

/// `Japan, China, Germany, Canada` → `imports_from` edges ranked 1..4 (the
/// release's order of import share), with no share.
fn ranked_sources(out: &mut Output, summary: &mut Summary, names_text: &str, row: &RankedSources) {
    let partners = names_text
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty());
    for (rank, partner) in partners.enumerate() {
        let CountryName::Country { spec, .. } = names::country_name(partner) else {
            summary.skip(&format!(
                "import reliance: unknown import source \"{partner}\""
            ));
            continue;
        };
        let partner = out.node(spec, row.source);
        let (first, last) = row.period;
        let mut props = Props::new();
        props.insert("item".into(), json!(row.item));
        props.insert("rank".into(), json!(rank + 1));
        props.insert("period".into(), json!(format!("{first}-{last}")));
        props.extend(row.common.clone());
        let valid = (Some(first.to_string()), Some(last.to_string()));
        out.edge(
            OutFile::Reliance,
            (row.us, "imports_from", partner),
            props,
            row.source,
            valid,
        );
    }
}

fn find_prefixed(table: &Table, prefix: &str) -> Result<usize, ImportError> {
    table
        .header
        .iter()
        .position(|header| {
            header
                .to_ascii_lowercase()
                .starts_with(&prefix.to_ascii_lowercase())
        })
        .ok_or_else(|| ImportError::MissingColumn {
            file: table.file.clone(),
            column: format!("{prefix}_…"),
        })
}

/// T4: each critical mineral's primary applications, as the `end_uses`
/// property of a mineral the import creates, and for every mineral as a
/// dated statement (an `affects` edge from one table event) that `show`
/// and `timeline` list.
pub fn import_end_uses(
    table: &Table,
    out: &mut Output,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    summary
        .rows_read
        .insert(table.file.clone(), table.rows.len());
    let source = source_id(out.edition, "industry-trends");
    let mineral_col = table.column("CriticalMineral")?;
    let uses_col = table.column("PrimaryApplications")?;
    let note_col = table.column("Category_Note").ok();
    let event_id = format!("usgs-mcs-{}-critical-mineral-end-uses", out.edition);
    out.event(
        OutFile::EndUses,
        json!({
            "id": event_id,
            "kind": "event",
            "name": format!("USGS MCS {}: primary applications of the critical minerals", out.edition),
            "props": {
                "date": format!("{}-01", out.edition),
                "summary": format!("Table 4 of Mineral Commodity Summaries {}: the minerals on the 2022 US critical minerals list and their primary applications", out.edition),
                "event_type": "statistics",
            },
            "sources": [source],
            "valid_from": format!("{}-01", out.edition),
        }),
    );
    for (line, row) in &table.rows {
        let cell = |index: usize| clean(row.get(index).map_or("", String::as_str));
        let name = cell(mineral_col);
        let Some(spec) = names::commodity(&name).or_else(|| element(&name)) else {
            summary.skip(&format!("end uses: unknown mineral \"{name}\""));
            continue;
        };
        let uses = cell(uses_col);
        let item = out.node(spec, &source);
        out.set_node_prop(item, "end_uses", json!(uses));
        let mut props = Props::new();
        props.insert("metric".into(), json!("primary applications"));
        props.insert("value".into(), json!(uses));
        if let Some(note) = note_col.map(cell).filter(|note| !note.is_empty()) {
            props.insert("note".into(), json!(note));
        }
        props.insert("source_file".into(), json!(table.file));
        props.insert("source_row".into(), json!(line));
        out.edge(
            OutFile::EndUses,
            (&event_id, "affects", item),
            props,
            &source,
            (None, None),
        );
    }
    Ok(())
}

/// Critical minerals that USGS reports inside a group chapter (the rare
/// earths, the platinum-group metals) and hafnium: nodes of their own.
fn element(name: &str) -> Option<NodeSpec> {
    const ELEMENTS: &[(&str, &str)] = &[
        ("cerium", "Cerium"),
        ("dysprosium", "Dysprosium"),
        ("erbium", "Erbium"),
        ("europium", "Europium"),
        ("gadolinium", "Gadolinium"),
        ("hafnium", "Hafnium"),
        ("holmium", "Holmium"),
        ("iridium", "Iridium"),
        ("lanthanum", "Lanthanum"),
        ("lutetium", "Lutetium"),
        ("neodymium", "Neodymium"),
        ("praseodymium", "Praseodymium"),
        ("rhodium", "Rhodium"),
        ("ruthenium", "Ruthenium"),
        ("samarium", "Samarium"),
        ("terbium", "Terbium"),
        ("thulium", "Thulium"),
        ("ytterbium", "Ytterbium"),
        ("magnesium", "Magnesium"),
        ("titanium", "Titanium"),
        ("zirconium", "Zirconium and hafnium"),
    ];
    let id = slug(name);
    ELEMENTS
        .iter()
        .find(|(element_id, _)| *element_id == id)
        .map(|(id, name)| NodeSpec {
            id,
            name,
            kind: "mineral",
            aliases: &[],
        })
}
