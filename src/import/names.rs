//! The importer's mapping tables: USGS commodity names to mineral and
//! product nodes, production `TYPE`s to stages, and units (the country
//! table is in `countries`). Every rule here is listed in docs/IMPORT.md.

pub use super::countries::{CountryName, country_name};
use super::text::{clean, slug};

/// A node the importer refers to: an existing id, or one it creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeSpec {
    pub id: &'static str,
    pub name: &'static str,
    /// `mineral`, `product` or `country`.
    pub kind: &'static str,
    /// Aliases written when the node is created (ISO codes for countries).
    pub aliases: &'static [&'static str],
}

const fn mineral(id: &'static str, name: &'static str) -> NodeSpec {
    NodeSpec {
        id,
        name,
        kind: "mineral",
        aliases: &[],
    }
}

const fn product(id: &'static str, name: &'static str) -> NodeSpec {
    NodeSpec {
        id,
        name,
        kind: "product",
        aliases: &[],
    }
}

/// Commodities, by every spelling the release uses (lower case, cleaned;
/// for the import-reliance figure the part before the first comma).
const COMMODITIES: &[(&[&str], NodeSpec)] = &[
    (
        &["abrasives", "abrasives (manufactured)"],
        product("abrasives", "Manufactured abrasives"),
    ),
    (&["aluminum"], mineral("aluminum", "Aluminum")),
    (&["alumina"], product("alumina", "Alumina")),
    (&["antimony"], mineral("antimony", "Antimony")),
    (&["arsenic"], mineral("arsenic", "Arsenic")),
    (&["asbestos"], mineral("asbestos", "Asbestos")),
    (&["barite"], mineral("barite", "Barite")),
    (
        &["bauxite", "bauxite and alumina"],
        mineral("bauxite", "Bauxite"),
    ),
    (&["beryllium"], mineral("beryllium", "Beryllium")),
    (&["bismuth"], mineral("bismuth", "Bismuth")),
    (&["boron"], mineral("boron", "Boron")),
    (&["bromine"], mineral("bromine", "Bromine")),
    (&["cadmium"], mineral("cadmium", "Cadmium")),
    (&["cement"], product("cement", "Cement")),
    (&["cesium"], mineral("cesium", "Cesium")),
    (&["chromium"], mineral("chromium", "Chromium")),
    (&["clays"], mineral("clays", "Clays")),
    (&["cobalt"], mineral("cobalt", "Cobalt")),
    (&["copper"], mineral("copper", "Copper")),
    (
        &["diamond (industrial)"],
        mineral("industrial-diamond", "Industrial diamond"),
    ),
    (&["diatomite"], mineral("diatomite", "Diatomite")),
    (
        &["feldspar", "feldspar and nepheline syenite"],
        mineral("feldspar", "Feldspar"),
    ),
    (&["fluorspar"], mineral("fluorspar", "Fluorspar")),
    (&["gallium"], mineral("gallium", "Gallium")),
    (
        &["garnet (industrial)"],
        mineral("industrial-garnet", "Industrial garnet"),
    ),
    (
        &["gemanium", "germanium"],
        mineral("germanium", "Germanium"),
    ),
    (&["gemstones"], mineral("gemstones", "Gemstones")),
    (&["gold"], mineral("gold", "Gold")),
    (
        &["graphite", "graphite (natural)"],
        mineral("graphite-natural", "Graphite (natural)"),
    ),
    (&["gypsum"], mineral("gypsum", "Gypsum")),
    (&["helium"], mineral("helium", "Helium")),
    (&["indium"], mineral("indium", "Indium")),
    (&["iodine"], mineral("iodine", "Iodine")),
    (&["iron ore"], mineral("iron-ore", "Iron ore")),
    (&["iron and steel"], product("raw-steel", "Raw steel")),
    (
        &["iron and steel scrap"],
        product("iron-and-steel-scrap", "Iron and steel scrap"),
    ),
    (
        &["iron and steel slag"],
        product("iron-and-steel-slag", "Iron and steel slag"),
    ),
    (
        &["iron oxide pigments"],
        mineral("iron-oxide-pigments", "Iron oxide pigments"),
    ),
    (
        &["kyanite and related minerals"],
        mineral("kyanite", "Kyanite and related minerals"),
    ),
    (&["lead"], mineral("lead", "Lead")),
    (&["lime"], product("lime", "Lime")),
    (&["lithium"], mineral("lithium", "Lithium")),
    (
        &["magnesium compounds"],
        mineral("magnesium-compounds", "Magnesium compounds"),
    ),
    (&["magnesium metal"], mineral("magnesium", "Magnesium")),
    (&["manganese"], mineral("manganese", "Manganese")),
    (&["mercury"], mineral("mercury", "Mercury")),
    (
        &["mica (natural)", "mica"],
        mineral("mica", "Mica (natural)"),
    ),
    (&["molybdenum"], mineral("molybdenum", "Molybdenum")),
    (
        &["nepheline syenite"],
        mineral("nepheline-syenite", "Nepheline syenite"),
    ),
    (&["nickel"], mineral("nickel", "Nickel")),
    (
        &["niobium", "niobium (columbium)"],
        mineral("niobium", "Niobium"),
    ),
    (
        &["nitrogen(fixed) - ammonia", "nitrogen (fixed)--ammonia"],
        product("ammonia", "Nitrogen (fixed) — ammonia"),
    ),
    (&["palladium"], mineral("palladium", "Palladium")),
    (&["peat"], mineral("peat", "Peat")),
    (&["perlite"], mineral("perlite", "Perlite")),
    (
        &["phosphate rock"],
        mineral("phosphate-rock", "Phosphate rock"),
    ),
    (&["platinum"], mineral("platinum", "Platinum")),
    (
        &["platinum-group metals"],
        mineral("pgm", "Platinum-group metals"),
    ),
    (&["potash"], mineral("potash", "Potash")),
    (
        &["pumice & pumicite", "pumice and pumicite"],
        mineral("pumice", "Pumice and pumicite"),
    ),
    (
        &["quartz crystal (industrial)"],
        mineral("quartz-crystal", "Quartz crystal (industrial)"),
    ),
    (
        &["rare earths"],
        mineral("rare-earths", "Rare earth elements"),
    ),
    (&["rhenium"], mineral("rhenium", "Rhenium")),
    (&["rubidium"], mineral("rubidium", "Rubidium")),
    (&["salt"], mineral("salt", "Salt")),
    (
        &["sand and gravel (construction)"],
        mineral("construction-sand-gravel", "Sand and gravel (construction)"),
    ),
    (
        &["sand and gravel (industrial)"],
        mineral("industrial-sand-gravel", "Sand and gravel (industrial)"),
    ),
    (&["scandium"], mineral("scandium", "Scandium")),
    (&["selenium"], mineral("selenium", "Selenium")),
    (&["silicon"], mineral("silicon", "Silicon")),
    (&["silver"], mineral("silver", "Silver")),
    (&["soda ash"], mineral("soda-ash", "Soda ash")),
    (
        &["stone (crushed)"],
        mineral("crushed-stone", "Crushed stone"),
    ),
    (
        &["stone (dimension)"],
        mineral("dimension-stone", "Dimension stone"),
    ),
    (&["strontium"], mineral("strontium", "Strontium")),
    (&["sulfur"], mineral("sulfur", "Sulfur")),
    (
        &["talc, crude", "talc and pyrophyllite"],
        mineral("talc", "Talc and pyrophyllite"),
    ),
    (&["tantalum"], mineral("tantalum", "Tantalum")),
    (&["tellurium"], mineral("tellurium", "Tellurium")),
    (&["thallium"], mineral("thallium", "Thallium")),
    (&["thorium"], mineral("thorium", "Thorium")),
    (&["tin"], mineral("tin", "Tin")),
    (
        &["titanium mineral concentrates"],
        mineral("titanium", "Titanium"),
    ),
    (
        &[
            "titanium & titanium dioxide",
            "titanium and titanium dioxide",
        ],
        product("titanium-sponge", "Titanium sponge"),
    ),
    (&["tungsten"], mineral("tungsten", "Tungsten")),
    (&["vanadium"], mineral("vanadium", "Vanadium")),
    (&["vermiculite"], mineral("vermiculite", "Vermiculite")),
    (&["wollastonite"], mineral("wollastonite", "Wollastonite")),
    (&["yttrium"], mineral("yttrium", "Yttrium")),
    (
        &["zeolites (natural)"],
        mineral("zeolites", "Zeolites (natural)"),
    ),
    (&["zinc"], mineral("zinc", "Zinc")),
    (
        &["zirconium and hafnium", "zirconium"],
        mineral("zirconium", "Zirconium and hafnium"),
    ),
];

/// Items named by a commodity together with its form, where the form is a
/// different node: the import-reliance figure's `TITANIUM, sponge metal`,
/// and the world table's TYPEs that name a product of the commodity.
const FORM_ITEMS: &[(&str, &str, NodeSpec)] = &[
    (
        "abrasives",
        "fused aluminum oxide",
        product("fused-aluminum-oxide", "Fused aluminum oxide"),
    ),
    (
        "abrasives",
        "silicon carbide",
        product("silicon-carbide", "Silicon carbide"),
    ),
    (
        "titanium",
        "sponge",
        product("titanium-sponge", "Titanium sponge"),
    ),
    (
        "titanium",
        "pigment",
        product("titanium-dioxide-pigment", "Titanium dioxide pigment"),
    ),
    (
        "titanium & titanium dioxide",
        "pigment",
        product("titanium-dioxide-pigment", "Titanium dioxide pigment"),
    ),
    (
        "titanium & titanium dioxide",
        "sponge",
        product("titanium-sponge", "Titanium sponge"),
    ),
    ("bauxite", "alumina", product("alumina", "Alumina")),
    (
        "silicon",
        "ferosilicon",
        product("ferrosilicon", "Ferrosilicon"),
    ),
    ("silicon", "silicon metal", mineral("silicon", "Silicon")),
    (
        "platinum-group metals",
        "palladium",
        mineral("palladium", "Palladium"),
    ),
    (
        "platinum-group metals",
        "platinum",
        mineral("platinum", "Platinum"),
    ),
    (
        "iron and steel",
        "pig iron",
        product("pig-iron", "Pig iron"),
    ),
    (
        "iron and steel",
        "raw steel",
        product("raw-steel", "Raw steel"),
    ),
];

/// The node of a commodity name, if the table knows it.
pub fn commodity(name: &str) -> Option<NodeSpec> {
    let key = clean(name).to_lowercase();
    COMMODITIES
        .iter()
        .find(|(spellings, _)| spellings.contains(&key.as_str()))
        .map(|(_, spec)| *spec)
}

/// The node for a commodity named together with a form or TYPE
/// (`Abrasives` + `Plant capacity, fused aluminum oxide`): a product of the
/// commodity where [`FORM_ITEMS`] says so, else the commodity itself.
pub fn commodity_item(commodity_name: &str, form: &str) -> Option<NodeSpec> {
    let key = clean(commodity_name).to_lowercase();
    let form = form.to_lowercase();
    FORM_ITEMS
        .iter()
        .find(|(name, needle, _)| *name == key && form.contains(needle))
        .map(|(_, _, spec)| *spec)
        .or_else(|| commodity(&key))
}

/// What a world-table row's `TYPE` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRule {
    /// The stage of a production type; `None` for capacity and reserves types.
    pub stage: Option<String>,
    pub capacity: bool,
    pub reserves_only: bool,
}

/// Stages by the start of a `TYPE` (lower case), in the curated graph's
/// words where they mean the same. First match wins.
const STAGE_PREFIXES: &[(&str, &str)] = &[
    ("mine production", "mining"),
    ("mine poduction", "mining"),
    ("soda ash, natural, mine production", "mining"),
    ("boron all types", "mining"),
    ("refinery production", "refining"),
    ("primary and secondary refinery production", "refining"),
    ("primary production", "refining"),
    ("smelter production", "refining"),
    ("magnesium smelter production", "refining"),
    ("sponge metal production", "refining"),
    ("plant production, lime", "manufacturing"),
    ("plant production, nitrogen", "manufacturing"),
    ("plant production", "refining"),
    ("cement production", "manufacturing"),
    ("pig iron", "manufacturing"),
    ("raw steel", "manufacturing"),
    ("production, synthetic", "manufacturing"),
    ("production", "production"),
];

/// Secondary series of one commodity that share a base stage with its
/// headline series: they get a qualified stage so that their shares are
/// never summed with the headline's (`mining-usable-ore`).
const STAGE_QUALIFIERS: &[(&str, &str, &str)] = &[
    ("iron ore", "usable ore", "usable-ore"),
    ("clays", "bentonite", "bentonite"),
    ("clays", "fuller's earth", "fullers-earth"),
    ("clays", "kaolin", "kaolin"),
    ("mica (natural)", "mica sheet", "sheet"),
    ("titanium mineral concentrates", "rutile", "rutile"),
];

/// How a world-table `TYPE` of a commodity is read.
pub fn type_rule(commodity_name: &str, type_text: &str) -> TypeRule {
    let type_lower = clean(type_text).to_lowercase();
    let commodity_key = clean(commodity_name).to_lowercase();
    if type_lower.contains("capacity") {
        return TypeRule {
            stage: None,
            capacity: true,
            reserves_only: false,
        };
    }
    if type_lower.starts_with("reserves") {
        return TypeRule {
            stage: None,
            capacity: false,
            reserves_only: true,
        };
    }
    let base = STAGE_PREFIXES
        .iter()
        .find(|(prefix, _)| type_lower.starts_with(prefix))
        .map_or_else(|| slug(&type_lower), |(_, stage)| stage.to_string());
    let qualifier = STAGE_QUALIFIERS
        .iter()
        .find(|(name, needle, _)| *name == commodity_key && type_lower.contains(needle))
        .map(|(_, _, qualifier)| *qualifier);
    let stage = match qualifier {
        Some(qualifier) => format!("{base}-{qualifier}"),
        None => base,
    };
    TypeRule {
        stage: Some(stage),
        capacity: false,
        reserves_only: false,
    }
}

/// A unit as published, its factor to metric tons (`None` when it is not a
/// mass: carats, cubic meters) and a short label.
pub fn unit_factor(unit: &str) -> Option<f64> {
    match clean(unit).to_lowercase().as_str() {
        "metric tons" => Some(1.0),
        "thousand metric tons" | "thousand metric dry tons" => Some(1_000.0),
        "million metric tons" => Some(1_000_000.0),
        "kilograms" => Some(0.001),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usgs_spellings_map_to_existing_ids() {
        assert_eq!(commodity("Gemanium").map(|spec| spec.id), Some("germanium"));
        assert_eq!(
            commodity("Rare earths").map(|spec| spec.id),
            Some("rare-earths")
        );
        assert_eq!(commodity("Copper ").map(|spec| spec.id), Some("copper"));
        assert_eq!(
            commodity("Titanium Mineral Concentrates").map(|spec| spec.id),
            Some("titanium")
        );
        assert_eq!(
            commodity_item(
                "Platinum-Group metals",
                "Mine production, Palladium content"
            )
            .map(|spec| spec.id),
            Some("palladium")
        );
        assert_eq!(
            commodity_item("Bauxite", "Refinery production, alumina").map(|spec| spec.id),
            Some("alumina")
        );
        assert_eq!(
            commodity_item("Bauxite", "Mine production, bauxite").map(|spec| spec.id),
            Some("bauxite")
        );
    }

    #[test]
    fn several_types_of_one_commodity_get_their_own_stages() {
        let stage = |commodity: &str, kind: &str| type_rule(commodity, kind).stage;
        assert_eq!(
            stage("Copper", "Mine production, recoverable copper content").as_deref(),
            Some("mining")
        );
        assert_eq!(
            stage("Copper", "Refinery production, copper").as_deref(),
            Some("refining")
        );
        assert_eq!(
            stage("Aluminum", "Smelter production, aluminum").as_deref(),
            Some("refining")
        );
        assert_eq!(
            stage("Gallium", "Primary production").as_deref(),
            Some("refining")
        );
        assert_eq!(
            stage("Iron Ore", "Mine production, usable ore").as_deref(),
            Some("mining-usable-ore")
        );
        assert_eq!(
            stage("Iron Ore", "Mine production, iron content").as_deref(),
            Some("mining")
        );
        assert!(type_rule("Abrasives", "Plant capacity, silicon carbide").capacity);
        assert!(type_rule("Potash", "Reserves, recoverable ore").reserves_only);
    }
}
