-- cobolspec store, schema version 1: every table users may query.
-- Tables and columns are documented in cobolspec/store/schema.py and in README.md ("The database").
-- Rows derived from a member carry `member` (members.path) and `run_id` (the run that wrote them):
-- re-analysing a changed member deletes every row whose `member` is its path, then loads new ones.

CREATE TABLE runs (
    run_id INTEGER PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    cobolspec_version VARCHAR NOT NULL,
    schema_version INTEGER NOT NULL,
    roots VARCHAR NOT NULL,
    options VARCHAR NOT NULL,
    members_total INTEGER NOT NULL,
    members_analysed INTEGER NOT NULL,
    members_unchanged INTEGER NOT NULL,
    members_removed INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL
);

CREATE TABLE members (
    path VARCHAR PRIMARY KEY,
    hash VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    first_line INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    encoding VARCHAR NOT NULL,
    lines INTEGER NOT NULL,
    line_ending VARCHAR NOT NULL,
    format VARCHAR,
    status VARCHAR NOT NULL,
    analysis_key VARCHAR NOT NULL,
    run_id INTEGER NOT NULL
);

CREATE TABLE programs (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    parent VARCHAR,
    file VARCHAR,
    line INTEGER,
    end_line INTEGER
);

CREATE TABLE copybook_uses (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    library VARCHAR,
    resolved VARCHAR,
    missing BOOLEAN NOT NULL,
    replacing BOOLEAN NOT NULL,
    depth INTEGER NOT NULL,
    via VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    line INTEGER NOT NULL,
    "column" INTEGER NOT NULL
);

CREATE TABLE paragraphs (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    section VARCHAR,
    name VARCHAR NOT NULL,
    file VARCHAR,
    line INTEGER,
    end_line INTEGER,
    reachable BOOLEAN,
    complexity INTEGER
);

CREATE TABLE statements (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    paragraph VARCHAR,
    id VARCHAR NOT NULL,
    verb VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    line INTEGER NOT NULL,
    "column" INTEGER NOT NULL,
    end_line INTEGER,
    parsed BOOLEAN NOT NULL
);

CREATE TABLE data_items (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    level INTEGER NOT NULL,
    parent VARCHAR,
    section VARCHAR,
    pic VARCHAR,
    usage VARCHAR,
    "offset" BIGINT,
    size BIGINT,
    occurs INTEGER,
    occurs_min INTEGER,
    depending_on VARCHAR,
    redefines VARCHAR,
    value VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE conditions_88 (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    item VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    "values" VARCHAR NOT NULL,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE cfg_edges (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    src VARCHAR NOT NULL,
    dst VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE dataflow (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    statement VARCHAR NOT NULL,
    item VARCHAR NOT NULL,
    access VARCHAR NOT NULL,
    via VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE calls (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    caller VARCHAR NOT NULL,
    callee VARCHAR,
    kind VARCHAR NOT NULL,
    dynamic BOOLEAN NOT NULL,
    via_item VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE jcl_jobs (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    job VARCHAR NOT NULL,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE jcl_steps (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    job VARCHAR NOT NULL,
    step VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    proc VARCHAR,
    proc_step VARCHAR,
    program VARCHAR,
    runs_program VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE jcl_dds (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    job VARCHAR NOT NULL,
    step VARCHAR NOT NULL,
    dd VARCHAR NOT NULL,
    dataset VARCHAR,
    disp VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE datasets (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    kind VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE sql_accesses (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    "table" VARCHAR NOT NULL,
    operation VARCHAR NOT NULL,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE cics_commands (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    command VARCHAR NOT NULL,
    target VARCHAR,
    options VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE program_files (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    assign VARCHAR,
    organization VARCHAR,
    access VARCHAR,
    record_key VARCHAR,
    file_status VARCHAR,
    record VARCHAR,
    open_modes VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE transactions (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    transid VARCHAR NOT NULL,
    program VARCHAR,
    "group" VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE screen_fields (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    mapset VARCHAR NOT NULL,
    map VARCHAR NOT NULL,
    field VARCHAR,
    "row" INTEGER,
    "column" INTEGER,
    length INTEGER,
    attributes VARCHAR,
    initial VARCHAR,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE rules (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    program VARCHAR NOT NULL,
    paragraph VARCHAR,
    kind VARCHAR NOT NULL,
    condition VARCHAR,
    actions VARCHAR,
    file VARCHAR,
    line INTEGER,
    end_line INTEGER,
    reaching VARCHAR,
    decision_table VARCHAR
);

CREATE TABLE rule_inputs (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    item VARCHAR NOT NULL
);

CREATE TABLE rule_outputs (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    item VARCHAR NOT NULL
);

CREATE TABLE descriptions (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    backend VARCHAR NOT NULL,
    model VARCHAR,
    cache_key VARCHAR,
    text VARCHAR NOT NULL,
    grounded BOOLEAN NOT NULL,
    problems VARCHAR
);

CREATE TABLE glossary (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    program VARCHAR,
    term VARCHAR NOT NULL,
    meaning VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    file VARCHAR,
    line INTEGER
);

CREATE TABLE diagnostics (
    run_id INTEGER NOT NULL,
    member VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    file VARCHAR,
    line INTEGER,
    "column" INTEGER,
    hint VARCHAR,
    source_line VARCHAR
);
