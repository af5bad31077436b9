//! Benchmark of Dutch search: 10,000 synthetic Dutch documents, indexing time, and p50/p95
//! latency of a fixed set of queries; the same with PostgreSQL full-text search ('dutch'
//! configuration, weighted tsvector, GIN index, `plainto_tsquery`) when TEST_DATABASE_URL is
//! set. Also compares both on a few compound/accent cases from the relevance set. Then, beside
//! the same 10,000 documents, one long document at a time (630,000 and 5,000,000 characters of
//! Dutch prose): the time and peak memory to index it, and p50/p95 of queries that return it
//! (snippets included), one of them for a word that occurs only at 80 % of the document.
//!
//! First, the relevance set (`tests/relevance/`: the jaarplan and the demo documents, a
//! glossary, 73 judged queries): P@3 and nDCG@10 of our search beside PostgreSQL's `dutch`
//! full-text search (`websearch_to_tsquery`, `ts_rank` over the same weighted tsvector).
//!
//! Run: `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!       cargo bench -p steden-kennisbank --bench search` (add `-- relevance` for the relevance
//! set alone).

use std::time::{Duration, Instant};

use steden_kennisbank::search::{Document, Query, SearchIndex};

#[path = "../tests/relevance/mod.rs"]
mod relevance;

const DOCS: usize = 10_000;
const RUNS: usize = 20;

const HEADS: &[&str] = &[
    "klimaat",
    "armoede",
    "energie",
    "woning",
    "data",
    "stads",
    "mobiliteit",
    "parkeer",
    "rechten",
    "leefloon",
    "jeugd",
    "onderwijs",
    "zorg",
    "veiligheid",
    "fiets",
    "water",
];
const TAILS: &[&str] = &[
    "beleid",
    "plan",
    "governance",
    "verkenner",
    "strategie",
    "monitor",
    "netwerk",
    "vernieuwing",
    "premie",
    "project",
    "analyse",
    "loket",
    "agenda",
    "rapport",
];
const WORDS: &[&str] = &[
    "stad",
    "steden",
    "gemeente",
    "bewoners",
    "burgers",
    "bestuur",
    "lokaal",
    "Vlaamse",
    "centrumsteden",
    "financiële",
    "middelen",
    "sociale",
    "gegevens",
    "privacy",
    "AVG",
    "GDPR",
    "evaluatie",
    "samenwerking",
    "participatie",
    "buurt",
    "wijk",
    "huurders",
    "gezinnen",
    "kinderen",
    "ouderen",
    "dienstverlening",
    "digitale",
    "sensoren",
    "uitstoot",
    "hitte",
    "groen",
    "pleinen",
    "tarieven",
    "zones",
    "premies",
    "tegemoetkomingen",
    "OCMW",
    "legislatuur",
    "begroting",
    "indicatoren",
    "cijfers",
    "toekomst",
    "één",
    "ideeën",
];
const STOP: &[&str] = &[
    "de", "het", "een", "van", "en", "in", "voor", "met", "op", "door",
];

/// Queries measured on both engines.
const QUERIES: &[&str] = &[
    "klimaat",
    "armoede",
    "klimaatbeleid",
    "rechten",
    "rechtenverkenner",
    "governance",
    "stadsvernieuwing",
    "vernieuwing",
    "financiele",
    "leefloon premie",
    "parkeren",
    "woning huurders",
    "data privacy",
    "AVG",
    "lokaal bestuur",
    "sociale rechten gezinnen",
    "energie",
    "fiets mobiliteit",
    "kinderen onderwijs",
    "steden begroting",
];

/// Sentences of Dutch prose (after the Kenniscentrum's jaarplan) that long documents are made of.
const PROSE: &[&str] = &[
    "Na een jaar vol verkiezingen en nieuwe regeringen kijken we vooruit.",
    "Met een nieuw beheerscomité gaan we met frisse energie verder.",
    "Het is in deze tijden essentieel dat we onze krachten bundelen en innovatieve wegen inslaan.",
    "Als Kenniscentrum willen we een omgeving creëren waarin stedelijke besturen, de Vlaamse overheid en andere partners elkaar vinden en versterken.",
    "Stedelijke transities worden bovenal op het terrein vormgegeven.",
    "De stedelijke uitdagingen van vandaag en morgen vragen om een slagkrachtig beleid waarin steden en gemeenten hun ambities kunnen waarmaken.",
    "De uitdagingen binnen deze domeinen blijven evolueren en onze aanpak blijft gericht op kennisdeling en innovatie.",
    "Zo beantwoorden we de groeiende nood aan impactmeting op de lokale werkvloer met een specifiek opleidingsprogramma.",
    "Stedelijke teams delen hun aanpak om vastgoedstrategieën te ontwikkelen die aansluiten bij de klimaatdoelstellingen voor 2050.",
    "We verbinden steden voor gezamenlijke projectkansen rond digitalisering.",
    "Wat we leren, delen we met alle lokale besturen.",
    "De samenwerking wordt geformaliseerd door een samenwerkingsovereenkomst met een looptijd van vijf jaar.",
    "Het dagelijks bestuur bestaat uit de voorzitter, een delegatie van de algemeen directeurs en twee externe experten.",
    "Werkgroepen voeden en ondersteunen de programma's van het Kenniscentrum.",
];

/// The word that occurs only once in a long document, at 80 % of its length.
const DEEP_WORD: &str = "zeppelinhangar";

/// Queries that return the long document (their words are not in the generated corpus).
const LONG_QUERIES: &[&str] = &[
    "impactmeting",
    "vastgoedstrategieën klimaatdoelstellingen",
    "beheerscomité steden",
    "samenwerkingsovereenkomst",
    DEEP_WORD,
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as usize
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.next() % list.len()]
    }
    fn word(&mut self) -> String {
        match self.next() % 10 {
            0..=2 => self.pick(STOP).to_string(),
            3..=4 => format!("{}{}", self.pick(HEADS), self.pick(TAILS)),
            5 => self.pick(HEADS).trim_end_matches('s').to_string(),
            _ => self.pick(WORDS).to_string(),
        }
    }
    fn text(&mut self, min: usize, spread: usize) -> String {
        let n = min + self.next() % spread;
        (0..n).map(|_| self.word()).collect::<Vec<_>>().join(" ")
    }
}

/// About `chars` characters of Dutch prose: sentences of [`PROSE`] in a varied order, with
/// a year or a generated compound now and then, and [`DEEP_WORD`] once, at 80 %.
fn long_body(chars: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut out = String::with_capacity(chars + 200);
    let deep_at = chars / 5 * 4;
    let mut deep_done = false;
    let mut count = 0;
    while count < chars {
        let mut sentence = rng.pick(PROSE).to_string();
        match rng.next() % 6 {
            0 => sentence.push_str(&format!(" Dat gebeurde in {}.", 2007 + rng.next() % 19)),
            1 => sentence.push_str(&format!(
                " Zie ook het {}{}.",
                rng.pick(HEADS),
                rng.pick(TAILS)
            )),
            _ => {}
        }
        if !deep_done && count >= deep_at {
            sentence.push_str(&format!(" Daar staat de {DEEP_WORD} van de stad."));
            deep_done = true;
        }
        sentence.push(if rng.next().is_multiple_of(8) {
            '\n'
        } else {
            ' '
        });
        count += sentence.chars().count();
        out.push_str(&sentence);
    }
    out
}

fn corpus() -> Vec<Document> {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    (0..DOCS)
        .map(|i| Document {
            id: format!("doc{i}"),
            title: rng.text(3, 5),
            summary: rng.text(12, 12),
            body: rng.text(150, 150),
            date: chrono::NaiveDate::from_ymd_opt(2007 + (i % 19) as i32, 1 + (i % 12) as u32, 1),
            kind: Some(["Rapport", "Nota", "Handleiding"][i % 3].into()),
            programme: Some(rng.pick(HEADS).into()),
            themes: vec![rng.pick(HEADS).into(), rng.pick(HEADS).into()],
            organisations: vec![rng.pick(&["Gent", "Antwerpen", "Leuven", "Brugge"]).into()],
            period: Some("2019-2024".into()),
            access: vec![if i % 10 == 0 { "members" } else { "public" }.into()],
        })
        .collect()
}

/// Small relevance cases from the relevance set: (query, document text, should match).
const CASES: &[(&str, &str)] = &[
    ("klimaat", "Klimaatgovernance in de centrumsteden"),
    ("rechten", "De Rechtenverkenner"),
    ("vernieuwing", "Stadsvernieuwing als hefboom"),
    ("beleid", "Lokaal armoedebeleid"),
    ("financiele", "Financiële toestand van de steden"),
    ("steden", "De stad kiest voor de fiets"),
    ("woningen", "Betaalbare woning"),
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name}: p50 {:.2} ms, p95 {:.2} ms over {} searches",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.len()
    );
}

fn bench_tantivy(docs: &[Document]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = SearchIndex::open_or_create(dir.path()).expect("index");
    let start = Instant::now();
    for chunk in docs.chunks(2_000) {
        index.upsert(chunk).expect("upsert");
    }
    println!(
        "tantivy: indexed {} documents in {:.2?}",
        docs.len(),
        start.elapsed()
    );
    let mut times = Vec::new();
    for _ in 0..RUNS {
        for text in QUERIES {
            let q = Query {
                text: text.to_string(),
                ..Query::default()
            };
            let start = Instant::now();
            let results = index.search(&q).expect("search");
            times.push(start.elapsed());
            std::hint::black_box(results.total);
        }
    }
    report("tantivy (count + top 20 + facets + snippets)", times);
    let mut hits = 0;
    for (i, (text, title)) in CASES.iter().enumerate() {
        let small = SearchIndex::in_memory().expect("index");
        let doc = Document {
            id: format!("case{i}"),
            title: title.to_string(),
            access: vec!["public".into()],
            ..Document::default()
        };
        small.upsert(&[doc]).expect("upsert");
        let found = small.search(&Query {
            text: text.to_string(),
            ..Query::default()
        });
        let ok = found.map(|r| r.total == 1).unwrap_or(false);
        hits += usize::from(ok);
        println!(
            "  tantivy  {text:>12} → {title:<40} {}",
            if ok { "found" } else { "MISSED" }
        );
    }
    println!("tantivy relevance cases: {hits}/{}", CASES.len());
    (dir, index)
}

/// Peak resident memory of this process so far (Linux), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// One long document at a time beside the corpus: indexing it, and queries that return it.
fn bench_long_documents(index: &SearchIndex) {
    for (name, chars) in [("630k", 630_000), ("5M", 5_000_000)] {
        let body = long_body(chars, 0xfeed_0000 + chars as u64);
        let id = format!("long-{name}");
        let doc = Document {
            id: id.clone(),
            title: format!("Jaarverslag in {name} tekens"),
            summary: "Een lang verslag van het Kenniscentrum.".into(),
            body,
            access: vec!["public".into()],
            ..Document::default()
        };
        let rss_before = peak_rss_mb().unwrap_or(0.0);
        let start = Instant::now();
        index
            .upsert(std::slice::from_ref(&doc))
            .expect("upsert long");
        println!(
            "tantivy: indexed one document of {} characters in {:.2?} (peak RSS {:.0} MB before, {:.0} MB after)",
            doc.body.chars().count(),
            start.elapsed(),
            rss_before,
            peak_rss_mb().unwrap_or(0.0)
        );
        let mut times = Vec::new();
        let mut deep_snippet = String::new();
        for _ in 0..RUNS {
            for text in LONG_QUERIES {
                let q = Query {
                    text: text.to_string(),
                    ..Query::default()
                };
                let start = Instant::now();
                let results = index.search(&q).expect("search");
                times.push(start.elapsed());
                let hit = results.hits.iter().find(|h| h.id == id);
                let hit = hit.unwrap_or_else(|| panic!("{text:?} does not return {id}"));
                if *text == DEEP_WORD {
                    deep_snippet = hit.snippet_html.clone();
                }
            }
        }
        report(
            &format!("tantivy, {name}-character document among the hits"),
            times,
        );
        println!(
            "  snippet for {DEEP_WORD:?} (only at 80 %): {}",
            if deep_snippet.contains(&format!("<mark>{DEEP_WORD}</mark>")) {
                "highlighted"
            } else {
                "NOT HIGHLIGHTED"
            }
        );
        index.delete(&id).expect("delete long");
    }
}

async fn bench_postgres(url: &str, docs: &[Document]) {
    use steden_db::testing::TestDb;
    use steden_db::Row;
    let test_db = TestDb::postgres(url, &[]).await;
    let pool = test_db.db.pool().clone();
    sqlx::query(
        "CREATE TABLE docs (id TEXT PRIMARY KEY, title TEXT, summary TEXT, body TEXT, access TEXT, \
         tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('dutch', title), 'A') || \
         setweight(to_tsvector('dutch', summary), 'B') || setweight(to_tsvector('dutch', body), 'C')) STORED)",
    )
    .execute(&pool)
    .await
    .expect("create table");
    let start = Instant::now();
    for chunk in docs.chunks(500) {
        let mut sql = String::from("INSERT INTO docs (id, title, summary, body, access) VALUES ");
        for i in 0..chunk.len() {
            let b = i * 5;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5
            ));
        }
        let mut q = sqlx::query(&sql);
        for d in chunk {
            q = q
                .bind(d.id.clone())
                .bind(d.title.clone())
                .bind(d.summary.clone());
            q = q.bind(d.body.clone()).bind(d.access[0].clone());
        }
        q.execute(&pool).await.expect("insert");
    }
    sqlx::query("CREATE INDEX docs_tsv ON docs USING GIN (tsv)")
        .execute(&pool)
        .await
        .expect("gin");
    sqlx::query("ANALYZE docs")
        .execute(&pool)
        .await
        .expect("analyze");
    println!(
        "postgres: indexed {} documents in {:.2?}",
        docs.len(),
        start.elapsed()
    );
    let search = "SELECT id, count(*) OVER () AS total FROM docs, plainto_tsquery('dutch', $1) q \
                  WHERE tsv @@ q AND access = 'public' ORDER BY ts_rank(tsv, q) DESC LIMIT 20";
    let mut times = Vec::new();
    for _ in 0..RUNS {
        for text in QUERIES {
            let start = Instant::now();
            let rows = sqlx::query(search)
                .bind(*text)
                .fetch_all(&pool)
                .await
                .expect("search");
            times.push(start.elapsed());
            std::hint::black_box(rows.len());
        }
    }
    report("postgres (count + top 20, ts_rank)", times);
    let mut hits = 0;
    for (text, title) in CASES {
        let row = sqlx::query(
            "SELECT (to_tsvector('dutch', $1) @@ plainto_tsquery('dutch', $2))::int AS hit",
        )
        .bind(*title)
        .bind(*text)
        .fetch_one(&pool)
        .await
        .expect("case");
        let ok = row.try_get::<i32, _>("hit").unwrap_or(0) == 1;
        hits += usize::from(ok);
        println!(
            "  postgres {text:>12} → {title:<40} {}",
            if ok { "found" } else { "MISSED" }
        );
    }
    println!("postgres relevance cases: {hits}/{}", CASES.len());
    test_db.cleanup().await;
}

/// The relevance set on our search (with and without the glossary) and, when a database is
/// given, on PostgreSQL's `dutch` configuration.
fn bench_relevance(pg: Option<&str>) {
    let queries = relevance::queries();
    let corpus = relevance::corpus();
    println!(
        "relevance set: {} documents, {} queries, {} glossary groups",
        corpus.len(),
        queries.len(),
        relevance::glossary().len()
    );
    let index = SearchIndex::in_memory().expect("index");
    index.upsert(&corpus).expect("upsert");
    let ranked = |index: &SearchIndex, text: &str| -> Vec<String> {
        let q = Query {
            text: text.to_string(),
            per_page: 10,
            ..Query::default()
        };
        let hits = index.search(&q).expect("search").hits;
        hits.into_iter().map(|h| h.id).collect()
    };
    let (without, _) = relevance::evaluate(&queries, |t| ranked(&index, t));
    index
        .set_synonyms(&relevance::glossary())
        .expect("synonyms");
    let (with, _) = relevance::evaluate(&queries, |t| ranked(&index, t));
    print!("{}", relevance::table("tantivy", &with));
    print!("{}", relevance::table("no-gloss", &without));
    let Some(url) = pg else {
        println!("postgres: skipped (TEST_DATABASE_URL not set)");
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let pg_rankings = runtime.block_on(postgres_rankings(url, &corpus, &queries));
    let mut rankings = pg_rankings.into_iter();
    let (scores, _) = relevance::evaluate(&queries, |_| rankings.next().unwrap_or_default());
    print!("{}", relevance::table("postgres", &scores));
}

/// The first ten ids per query from PostgreSQL's `dutch` full-text search over the same
/// documents (title A, summary B, body C), ranked by `ts_rank`.
async fn postgres_rankings(
    url: &str,
    corpus: &[Document],
    queries: &[relevance::Judged],
) -> Vec<Vec<String>> {
    use steden_db::testing::TestDb;
    use steden_db::Row;
    let test_db = TestDb::postgres(url, &[]).await;
    let pool = test_db.db.pool().clone();
    sqlx::query(
        "CREATE TABLE rel (id TEXT PRIMARY KEY, title TEXT, summary TEXT, body TEXT, \
         tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('dutch', title), 'A') || \
         setweight(to_tsvector('dutch', summary), 'B') || setweight(to_tsvector('dutch', body), 'C')) STORED)",
    )
    .execute(&pool)
    .await
    .expect("create table");
    for d in corpus {
        sqlx::query("INSERT INTO rel (id, title, summary, body) VALUES ($1, $2, $3, $4)")
            .bind(d.id.clone())
            .bind(d.title.clone())
            .bind(d.summary.clone())
            .bind(d.body.clone())
            .execute(&pool)
            .await
            .expect("insert");
    }
    let mut out = Vec::new();
    for q in queries {
        let rows = sqlx::query(
            "SELECT id FROM rel, websearch_to_tsquery('dutch', $1) q WHERE tsv @@ q \
             ORDER BY ts_rank(tsv, q) DESC, id LIMIT 10",
        )
        .bind(q.text.clone())
        .fetch_all(&pool)
        .await
        .expect("search");
        out.push(
            rows.iter()
                .map(|r| r.try_get::<String, _>("id").unwrap_or_default())
                .collect(),
        );
    }
    test_db.cleanup().await;
    out
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let pg = steden_db::testing::postgres_admin_url();
    bench_relevance(pg.as_deref());
    if std::env::args().any(|a| a == "relevance") {
        return;
    }
    let start = Instant::now();
    let docs = corpus();
    println!(
        "generated {} documents in {:.2?}",
        docs.len(),
        start.elapsed()
    );
    let (_dir, index) = bench_tantivy(&docs);
    bench_long_documents(&index);
    drop(index);
    match pg {
        Some(url) => {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            runtime.block_on(bench_postgres(&url, &docs));
        }
        None => println!("postgres: skipped (TEST_DATABASE_URL not set)"),
    }
}
