//! USGS country names to country nodes, with ISO 3166-1 alpha-2 and
//! alpha-3 codes; the world total and "other countries" rows, which are not
//! countries. The rules are listed in docs/IMPORT.md.

use super::names::NodeSpec;

/// A country row as USGS names it, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountryName {
    Country {
        spec: NodeSpec,
        qualifier: Option<String>,
    },
    /// `World total (rounded)` and its variants: the denominator of shares.
    WorldTotal,
    /// `Other Countries`: the remainder, not a country.
    Others,
    /// A name that is not one country (`United States and Canada`).
    Aggregate,
    Unknown(String),
}

const fn country(id: &'static str, name: &'static str, codes: &'static [&'static str]) -> NodeSpec {
    NodeSpec {
        id,
        name,
        kind: "country",
        aliases: codes,
    }
}

/// Countries by every spelling in the release (lower case, cleaned,
/// without a parenthesised qualifier), with ISO 3166-1 alpha-2 and alpha-3.
const COUNTRIES: &[(&[&str], NodeSpec)] = &[
    (
        &["afghanistan"],
        country("afghanistan", "Afghanistan", &["AF", "AFG"]),
    ),
    (&["algeria"], country("algeria", "Algeria", &["DZ", "DZA"])),
    (&["angola"], country("angola", "Angola", &["AO", "AGO"])),
    (
        &["argentina"],
        country("argentina", "Argentina", &["AR", "ARG"]),
    ),
    (&["armenia"], country("armenia", "Armenia", &["AM", "ARM"])),
    (
        &["australia"],
        country("australia", "Australia", &["AU", "AUS"]),
    ),
    (&["austria"], country("austria", "Austria", &["AT", "AUT"])),
    (
        &["azerbaijan"],
        country("azerbaijan", "Azerbaijan", &["AZ", "AZE"]),
    ),
    (&["bahrain"], country("bahrain", "Bahrain", &["BH", "BHR"])),
    (&["belarus"], country("belarus", "Belarus", &["BY", "BLR"])),
    (&["belgium"], country("belgium", "Belgium", &["BE", "BEL"])),
    (&["bhutan"], country("bhutan", "Bhutan", &["BT", "BTN"])),
    (&["bolivia"], country("bolivia", "Bolivia", &["BO", "BOL"])),
    (
        &["botswana"],
        country("botswana", "Botswana", &["BW", "BWA"]),
    ),
    (&["brazil"], country("brazil", "Brazil", &["BR", "BRA"])),
    (
        &["bulgaria"],
        country("bulgaria", "Bulgaria", &["BG", "BGR"]),
    ),
    (
        &["burkina faso"],
        country("burkina-faso", "Burkina Faso", &["BF", "BFA"]),
    ),
    (
        &["burma"],
        country("myanmar", "Myanmar", &["MM", "MMR", "Burma"]),
    ),
    (&["burundi"], country("burundi", "Burundi", &["BI", "BDI"])),
    (
        &["cameroon"],
        country("cameroon", "Cameroon", &["CM", "CMR"]),
    ),
    (&["canada"], country("canada", "Canada", &["CA", "CAN"])),
    (&["chile"], country("chile", "Chile", &["CL", "CHL"])),
    (&["china"], country("china", "China", &["CN", "CHN"])),
    (
        &["colombia"],
        country("colombia", "Colombia", &["CO", "COL"]),
    ),
    (
        &["congo (kinshasa)"],
        country("dr-congo", "DR Congo", &["CD", "COD", "Congo (Kinshasa)"]),
    ),
    (
        &["côte d’ivoire", "cote d'ivoire"],
        country(
            "cote-divoire",
            "Côte d’Ivoire",
            &["CI", "CIV", "Ivory Coast"],
        ),
    ),
    (&["cuba"], country("cuba", "Cuba", &["CU", "CUB"])),
    (&["cyprus"], country("cyprus", "Cyprus", &["CY", "CYP"])),
    (
        &["czechia"],
        country("czechia", "Czechia", &["CZ", "CZE", "Czech Republic"]),
    ),
    (&["denmark"], country("denmark", "Denmark", &["DK", "DNK"])),
    (&["ecuador"], country("ecuador", "Ecuador", &["EC", "ECU"])),
    (&["egypt"], country("egypt", "Egypt", &["EG", "EGY"])),
    (&["estonia"], country("estonia", "Estonia", &["EE", "EST"])),
    (
        &["ethiopia"],
        country("ethiopia", "Ethiopia", &["ET", "ETH"]),
    ),
    (&["finland"], country("finland", "Finland", &["FI", "FIN"])),
    (&["france"], country("france", "France", &["FR", "FRA"])),
    (&["gabon"], country("gabon", "Gabon", &["GA", "GAB"])),
    (&["georgia"], country("georgia", "Georgia", &["GE", "GEO"])),
    (&["germany"], country("germany", "Germany", &["DE", "DEU"])),
    (&["ghana"], country("ghana", "Ghana", &["GH", "GHA"])),
    (&["greece"], country("greece", "Greece", &["GR", "GRC"])),
    (
        &["greenland"],
        country("greenland", "Greenland", &["GL", "GRL"]),
    ),
    (
        &["guatemala"],
        country("guatemala", "Guatemala", &["GT", "GTM"]),
    ),
    (&["guinea"], country("guinea", "Guinea", &["GN", "GIN"])),
    (&["guyana"], country("guyana", "Guyana", &["GY", "GUY"])),
    (&["hungary"], country("hungary", "Hungary", &["HU", "HUN"])),
    (&["iceland"], country("iceland", "Iceland", &["IS", "ISL"])),
    (&["india"], country("india", "India", &["IN", "IND"])),
    (
        &["indonesia"],
        country("indonesia", "Indonesia", &["ID", "IDN"]),
    ),
    (&["iran"], country("iran", "Iran", &["IR", "IRN"])),
    (&["ireland"], country("ireland", "Ireland", &["IE", "IRL"])),
    (&["israel"], country("israel", "Israel", &["IL", "ISR"])),
    (&["italy"], country("italy", "Italy", &["IT", "ITA"])),
    (&["jamaica"], country("jamaica", "Jamaica", &["JM", "JAM"])),
    (&["japan"], country("japan", "Japan", &["JP", "JPN"])),
    (&["jordan"], country("jordan", "Jordan", &["JO", "JOR"])),
    (
        &["kazakhstan"],
        country("kazakhstan", "Kazakhstan", &["KZ", "KAZ"]),
    ),
    (&["kenya"], country("kenya", "Kenya", &["KE", "KEN"])),
    (
        &["korea, north"],
        country("north-korea", "North Korea", &["KP", "PRK"]),
    ),
    (
        &["korea, republic of", "republic of korea", "south korea"],
        country("south-korea", "South Korea", &["KR", "KOR"]),
    ),
    (&["kuwait"], country("kuwait", "Kuwait", &["KW", "KWT"])),
    (
        &["kyrgyzstan"],
        country("kyrgyzstan", "Kyrgyzstan", &["KG", "KGZ"]),
    ),
    (&["laos"], country("laos", "Laos", &["LA", "LAO"])),
    (&["latvia"], country("latvia", "Latvia", &["LV", "LVA"])),
    (&["lesotho"], country("lesotho", "Lesotho", &["LS", "LSO"])),
    (
        &["lithuania"],
        country("lithuania", "Lithuania", &["LT", "LTU"]),
    ),
    (
        &["madagascar"],
        country("madagascar", "Madagascar", &["MG", "MDG"]),
    ),
    (
        &["malaysia"],
        country("malaysia", "Malaysia", &["MY", "MYS"]),
    ),
    (&["mali"], country("mali", "Mali", &["ML", "MLI"])),
    (
        &["mauritania"],
        country("mauritania", "Mauritania", &["MR", "MRT"]),
    ),
    (&["mexico"], country("mexico", "Mexico", &["MX", "MEX"])),
    (
        &["mongolia"],
        country("mongolia", "Mongolia", &["MN", "MNG"]),
    ),
    (&["morocco"], country("morocco", "Morocco", &["MA", "MAR"])),
    (
        &["mozambique"],
        country("mozambique", "Mozambique", &["MZ", "MOZ"]),
    ),
    (&["namibia"], country("namibia", "Namibia", &["NA", "NAM"])),
    (
        &["netherlands"],
        country("netherlands", "Netherlands", &["NL", "NLD"]),
    ),
    (
        &["new caledonia"],
        country("new-caledonia", "New Caledonia", &["NC", "NCL"]),
    ),
    (
        &["new zealand"],
        country("new-zealand", "New Zealand", &["NZ", "NZL"]),
    ),
    (&["nigeria"], country("nigeria", "Nigeria", &["NG", "NGA"])),
    (&["norway"], country("norway", "Norway", &["NO", "NOR"])),
    (&["oman"], country("oman", "Oman", &["OM", "OMN"])),
    (
        &["pakistan"],
        country("pakistan", "Pakistan", &["PK", "PAK"]),
    ),
    (
        &["papua new guinea"],
        country("papua-new-guinea", "Papua New Guinea", &["PG", "PNG"]),
    ),
    (&["peru"], country("peru", "Peru", &["PE", "PER"])),
    (
        &["philippines"],
        country("philippines", "Philippines", &["PH", "PHL"]),
    ),
    (&["poland"], country("poland", "Poland", &["PL", "POL"])),
    (
        &["portugal"],
        country("portugal", "Portugal", &["PT", "PRT"]),
    ),
    (&["qatar"], country("qatar", "Qatar", &["QA", "QAT"])),
    (&["russia"], country("russia", "Russia", &["RU", "RUS"])),
    (&["rwanda"], country("rwanda", "Rwanda", &["RW", "RWA"])),
    (
        &["saudi arabia"],
        country("saudi-arabia", "Saudi Arabia", &["SA", "SAU"]),
    ),
    (&["senegal"], country("senegal", "Senegal", &["SN", "SEN"])),
    (&["serbia"], country("serbia", "Serbia", &["RS", "SRB"])),
    (
        &["sierra leone"],
        country("sierra-leone", "Sierra Leone", &["SL", "SLE"]),
    ),
    (
        &["slovakia"],
        country("slovakia", "Slovakia", &["SK", "SVK"]),
    ),
    (
        &["south africa"],
        country("south-africa", "South Africa", &["ZA", "ZAF"]),
    ),
    (&["spain"], country("spain", "Spain", &["ES", "ESP"])),
    (
        &["sri lanka"],
        country("sri-lanka", "Sri Lanka", &["LK", "LKA"]),
    ),
    (&["sweden"], country("sweden", "Sweden", &["SE", "SWE"])),
    (&["syria"], country("syria", "Syria", &["SY", "SYR"])),
    (&["taiwan"], country("taiwan", "Taiwan", &["TW", "TWN"])),
    (
        &["tajikistan"],
        country("tajikistan", "Tajikistan", &["TJ", "TJK"]),
    ),
    (
        &["tanzania"],
        country("tanzania", "Tanzania", &["TZ", "TZA"]),
    ),
    (
        &["thailand"],
        country("thailand", "Thailand", &["TH", "THA"]),
    ),
    (&["togo"], country("togo", "Togo", &["TG", "TGO"])),
    (
        &["trinidad and tobago"],
        country("trinidad-and-tobago", "Trinidad and Tobago", &["TT", "TTO"]),
    ),
    (&["tunisia"], country("tunisia", "Tunisia", &["TN", "TUN"])),
    (
        &["turkey", "türkiye"],
        country("turkiye", "Türkiye", &["TR", "TUR", "Turkey"]),
    ),
    (
        &["turkmenistan"],
        country("turkmenistan", "Turkmenistan", &["TM", "TKM"]),
    ),
    (&["uganda"], country("uganda", "Uganda", &["UG", "UGA"])),
    (&["ukraine"], country("ukraine", "Ukraine", &["UA", "UKR"])),
    (
        &["united arab emirates"],
        country(
            "united-arab-emirates",
            "United Arab Emirates",
            &["AE", "ARE", "UAE"],
        ),
    ),
    (
        &["united kingdom"],
        country("united-kingdom", "United Kingdom", &["GB", "GBR", "UK"]),
    ),
    (
        &["united states"],
        country("united-states", "United States", &["US", "USA"]),
    ),
    (
        &["uzbekistan"],
        country("uzbekistan", "Uzbekistan", &["UZ", "UZB"]),
    ),
    (
        &["venezuela"],
        country("venezuela", "Venezuela", &["VE", "VEN"]),
    ),
    (&["vietnam"], country("vietnam", "Vietnam", &["VN", "VNM"])),
    (&["zambia"], country("zambia", "Zambia", &["ZM", "ZMB"])),
    (
        &["zimbabwe"],
        country("zimbabwe", "Zimbabwe", &["ZW", "ZWE"]),
    ),
];

/// Reads a `COUNTRY` cell (or an import source's name): non-breaking
/// spaces, trailing spaces and glued footnote digits go; a parenthesised
/// qualifier (`United States (kyanite)`) is kept beside the country.
pub fn country_name(raw: &str) -> CountryName {
    let name = super::text::strip_footnote(raw);
    let lower = name.to_lowercase();
    if lower.starts_with("world total") || lower == "world" {
        return CountryName::WorldTotal;
    }
    if lower.starts_with("other countries") {
        return CountryName::Others;
    }
    if let Some(spec) = find_country(&lower) {
        return CountryName::Country {
            spec,
            qualifier: None,
        };
    }
    if let Some((head, rest)) = name.split_once(" (") {
        let qualifier = rest.trim_end_matches(')').to_string();
        if let Some(spec) = find_country(&head.to_lowercase()) {
            return CountryName::Country {
                spec,
                qualifier: Some(qualifier),
            };
        }
    }
    if lower.contains(" and ") && !lower.starts_with("trinidad") {
        return CountryName::Aggregate;
    }
    CountryName::Unknown(name)
}

fn find_country(lower: &str) -> Option<NodeSpec> {
    COUNTRIES
        .iter()
        .find(|(spellings, _)| spellings.contains(&lower))
        .map(|(_, spec)| *spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usgs_country_names_map_to_country_nodes() {
        let id = |raw: &str| match country_name(raw) {
            CountryName::Country { spec, .. } => Some(spec.id),
            _ => None,
        };
        assert_eq!(id("Burma"), Some("myanmar"));
        assert_eq!(id("Congo (Kinshasa)"), Some("dr-congo"));
        assert_eq!(id("Korea, Republic of"), Some("south-korea"));
        assert_eq!(id("Republic of Korea"), Some("south-korea"));
        assert_eq!(id("Canada  "), Some("canada"));
        assert_eq!(id("China3"), Some("china"));
        assert_eq!(id("Turkey"), Some("turkiye"));
        assert_eq!(
            country_name("United\u{a0}States (kyanite)"),
            CountryName::Country {
                spec: find_country("united states").unwrap(),
                qualifier: Some("kyanite".into())
            }
        );
        assert_eq!(
            country_name("World total (rounded) 10"),
            CountryName::WorldTotal
        );
        assert_eq!(country_name("Other Countries"), CountryName::Others);
        assert_eq!(
            country_name("United\u{a0}States and Canada"),
            CountryName::Aggregate
        );
    }
}
