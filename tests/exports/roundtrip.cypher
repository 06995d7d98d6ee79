// critmin-graph version 1, Cypher export for Neo4j and Memgraph
// Run on an empty database: cypher-shell -f FILE (Neo4j), mgconsole < FILE (Memgraph)
// Sources are :Source nodes; nodes -[:CITES]-> them; `sources` on every node and relationship lists their ids
CREATE CONSTRAINT country_id IF NOT EXISTS FOR (n:Country) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT industry_id IF NOT EXISTS FOR (n:Industry) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT mineral_id IF NOT EXISTS FOR (n:Mineral) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT policy_id IF NOT EXISTS FOR (n:Policy) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;
CREATE INDEX country_name IF NOT EXISTS FOR (n:Country) ON (n.name);
CREATE INDEX event_name IF NOT EXISTS FOR (n:Event) ON (n.name);
CREATE INDEX industry_name IF NOT EXISTS FOR (n:Industry) ON (n.name);
CREATE INDEX mineral_name IF NOT EXISTS FOR (n:Mineral) ON (n.name);
CREATE INDEX policy_name IF NOT EXISTS FOR (n:Policy) ON (n.name);
CREATE (:Source {id: 'mofcom-2024-46', title: 'MOFCOM Announcement 2024 No.46', publisher: 'MOFCOM', published: '2024-12-03'});
CREATE (:Source {id: 'usgs-mcs-2025', title: 'Mineral Commodity Summaries 2025', publisher: 'U.S. Geological Survey', published: '2025-01', url: 'https://pubs.usgs.gov/periodicals/mcs2025/', note: 'via transcription, "quoted", with, commas'});
CREATE (:Country {id: 'china', name: 'China', kind: 'country', aliases: ['CN', 'CHN'], sources: ['usgs-mcs-2025']});
CREATE (:Policy {id: 'cn-mofcom-2024-46', name: 'US-specific ban on Ga, Ge, Sb exports', kind: 'policy', aliases: ['MOFCOM 2024 No.46'], sources: ['mofcom-2024-46'], valid_from: '2024-12-03', announced: date('2024-12-03'), effective: date('2024-12-03'), number: '2024 No.46', suspended: date('2025-11-09')});
CREATE (:Event {id: 'ev-2025-06-ge', name: 'Germanium exports collapse', kind: 'event', sources: ['usgs-mcs-2025'], date: '2025-06'});
CREATE (:Industry {id: 'fiber-optics', name: 'Fiber optics', kind: 'industry', sources: ['usgs-mcs-2025']});
CREATE (:Mineral {id: 'germanium', name: 'Germanium', kind: 'mineral', aliases: ['Ge'], sources: ['usgs-mcs-2025'], note: 'by-product; zinc residues', us_critical_2025: true});
CREATE (:Country {id: 'united-states', name: 'United States', kind: 'country', aliases: ['US', 'USA', 'United States of America'], sources: ['usgs-mcs-2025']});
MATCH (a:Country {id: 'china'}), (b:Mineral {id: 'germanium'}) CREATE (a)-[:PRODUCES {sources: ['usgs-mcs-2025'], valid_from: '2022', valid_to: '2022', calc: true, share: 0.857, stage: 'refining', tonnes: 180, year: 2022}]->(b);
MATCH (a:Policy {id: 'cn-mofcom-2024-46'}), (b:Country {id: 'china'}) CREATE (a)-[:ISSUED_BY {sources: ['mofcom-2024-46']}]->(b);
MATCH (a:Policy {id: 'cn-mofcom-2024-46'}), (b:Mineral {id: 'germanium'}) CREATE (a)-[:RESTRICTS {sources: ['mofcom-2024-46'], measure: 'ban', severity: 1}]->(b);
MATCH (a:Policy {id: 'cn-mofcom-2024-46'}), (b:Country {id: 'united-states'}) CREATE (a)-[:TARGETS {sources: ['mofcom-2024-46']}]->(b);
MATCH (a:Event {id: 'ev-2025-06-ge'}), (b:Mineral {id: 'germanium'}) CREATE (a)-[:AFFECTS {sources: ['usgs-mcs-2025', 'mofcom-2024-46'], metric: 'exports', period: '2025-06', unit: 'ratio', value: -0.95}]->(b);
MATCH (a:Event {id: 'ev-2025-06-ge'}), (b:Policy {id: 'cn-mofcom-2024-46'}) CREATE (a)-[:CAUSED_BY {sources: ['usgs-mcs-2025']}]->(b);
MATCH (a:Mineral {id: 'germanium'}), (b:Industry {id: 'fiber-optics'}) CREATE (a)-[:USED_IN {sources: ['usgs-mcs-2025'], demand_share: 0.4, dependence: 0.9, role: 'GeCl4 dopant in the fiber core'}]->(b);
MATCH (a:Country {id: 'united-states'}), (b:Mineral {id: 'germanium'}) CREATE (a)-[:IMPORT_RELIANCE {sources: ['usgs-mcs-2025'], bound: 'lower', share: 0.5, year: 2024}]->(b);
MATCH (a:Country {id: 'china'}), (s:Source {id: 'usgs-mcs-2025'}) CREATE (a)-[:CITES]->(s);
MATCH (a:Policy {id: 'cn-mofcom-2024-46'}), (s:Source {id: 'mofcom-2024-46'}) CREATE (a)-[:CITES]->(s);
MATCH (a:Event {id: 'ev-2025-06-ge'}), (s:Source {id: 'usgs-mcs-2025'}) CREATE (a)-[:CITES]->(s);
MATCH (a:Industry {id: 'fiber-optics'}), (s:Source {id: 'usgs-mcs-2025'}) CREATE (a)-[:CITES]->(s);
MATCH (a:Mineral {id: 'germanium'}), (s:Source {id: 'usgs-mcs-2025'}) CREATE (a)-[:CITES]->(s);
MATCH (a:Country {id: 'united-states'}), (s:Source {id: 'usgs-mcs-2025'}) CREATE (a)-[:CITES]->(s);
