//! Prometheus metrics through `prometheus-client` (the Prometheus project's Rust client): the
//! counters, gauges and scan-latency histogram in one registry, encoded in the OpenMetrics text
//! format and served by hyper at `GET /metrics`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// Upper bounds (seconds) of the scan latency histogram buckets.
const LATENCY_BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// Every metric the bot keeps. Counters are shared handles: the registry encodes the same ones.
pub struct Metrics {
    pub scans: Counter,
    pub scan_errors: Counter,
    pub obligations_scanned: Counter,
    pub unhealthy_found: Counter,
    pub evaluation_errors: Counter,
    pub skipped_unprofitable: Counter,
    pub skipped_no_funds: Counter,
    pub dry_run_planned: Counter,
    pub liquidations_sent: Counter,
    pub liquidations_landed: Counter,
    pub liquidations_failed: Counter,
    pub liquidations_lost_race: Counter,
    pub write_offs_sent: Counter,
    pub write_offs_landed: Counter,
    pub write_offs_failed: Counter,
    pub auction_marks_sent: Counter,
    pub auction_marks_landed: Counter,
    pub auction_marks_failed: Counter,
    pub transport_retries: Counter,
    /// Transactions sent whose confirmation never came back (the transport failed after the
    /// send); the next attempt asks for their status before sending anything new.
    pub sends_unconfirmed: Counter,
    /// Sum of USD profit (spot) of landed liquidations, in micro-USD.
    pub profit_micro_usd: Counter,
    pub last_scan_obligations: Gauge,
    pub last_scan_unhealthy: Gauge,
    scan_latency: Histogram,
    registry: Registry,
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        let mut registry = Registry::with_prefix("ballast_liquidator");
        let mut counter = |name: &str, help: &str| {
            let counter = Counter::default();
            registry.register(name, help, counter.clone());
            counter
        };
        let scans = counter("scans", "Scan passes started");
        let scan_errors = counter("scan_errors", "Scan passes that failed on the transport");
        let obligations_scanned = counter("obligations_scanned", "Obligations evaluated");
        let unhealthy_found = counter("unhealthy_found", "Obligations found with maintenance health below zero");
        let evaluation_errors = counter(
            "evaluation_errors",
            "Obligations whose health could not be computed (missing reserve, stale or invalid oracle)",
        );
        let skipped_unprofitable =
            counter("skipped_unprofitable", "Unhealthy obligations with no liquidation above min_profit_usd");
        let skipped_no_funds =
            counter("skipped_no_funds", "Liquidations skipped: no repay tokens or no collateral token account");
        let dry_run_planned = counter("dry_run_planned", "Liquidations planned but not sent (dry run)");
        let liquidations_sent = counter("liquidations_sent", "Liquidation transactions submitted");
        let liquidations_landed = counter("liquidations_landed", "Liquidation transactions that succeeded");
        let liquidations_failed =
            counter("liquidations_failed", "Liquidations that failed for a reason other than a lost race");
        let liquidations_lost_race = counter(
            "liquidations_lost_race",
            "Liquidations lost to another liquidator (obligation healthy or changed)",
        );
        let write_offs_sent = counter("write_offs_sent", "Bad-debt write-offs (socialize_loss) submitted");
        let write_offs_landed = counter("write_offs_landed", "Bad-debt write-offs that succeeded");
        let write_offs_failed =
            counter("write_offs_failed", "Bad-debt write-offs that failed for a reason other than a lost race");
        let auction_marks_sent = counter("auction_marks_sent", "Dutch-auction marks (mark_liquidatable) submitted");
        let auction_marks_landed = counter("auction_marks_landed", "Dutch-auction marks that succeeded");
        let auction_marks_failed =
            counter("auction_marks_failed", "Dutch-auction marks that failed for a reason other than a lost race");
        let transport_retries = counter("transport_retries", "Transport requests retried after an error");
        let sends_unconfirmed =
            counter("sends_unconfirmed", "Transactions sent whose confirmation was lost (their status is asked next)");
        let profit_micro_usd =
            counter("profit_micro_usd", "Planned profit of landed liquidations, micro-USD at spot prices");
        let last_scan_obligations = Gauge::default();
        registry.register("last_scan_obligations", "Obligations in the last scan", last_scan_obligations.clone());
        let last_scan_unhealthy = Gauge::default();
        registry.register("last_scan_unhealthy", "Unhealthy obligations in the last scan", last_scan_unhealthy.clone());
        let scan_latency = Histogram::new(LATENCY_BUCKETS);
        registry.register("scan_latency_seconds", "Wall time of one scan (fetch + evaluate)", scan_latency.clone());
        Arc::new(Metrics {
            scans,
            scan_errors,
            obligations_scanned,
            unhealthy_found,
            evaluation_errors,
            skipped_unprofitable,
            skipped_no_funds,
            dry_run_planned,
            liquidations_sent,
            liquidations_landed,
            liquidations_failed,
            liquidations_lost_race,
            write_offs_sent,
            write_offs_landed,
            write_offs_failed,
            auction_marks_sent,
            auction_marks_landed,
            auction_marks_failed,
            transport_retries,
            sends_unconfirmed,
            profit_micro_usd,
            last_scan_obligations,
            last_scan_unhealthy,
            scan_latency,
            registry,
        })
    }

    pub fn observe_scan_latency(&self, latency: Duration) {
        self.scan_latency.observe(latency.as_secs_f64());
    }

    /// The OpenMetrics text exposition (Prometheus scrapes it).
    pub fn render(&self) -> String {
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("encoding into a String cannot fail");
        out
    }
}

/// The OpenMetrics text format's content type.
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

fn respond(metrics: &Metrics, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    let (status, body) = match (request.method(), request.uri().path()) {
        (&Method::GET, "/metrics" | "/") => (StatusCode::OK, metrics.render()),
        _ => (StatusCode::NOT_FOUND, String::new()),
    };
    Response::builder()
        .status(status)
        .header(hyper::header::CONTENT_TYPE, CONTENT_TYPE)
        .body(Full::new(Bytes::from(body)))
        .expect("a valid response")
}

/// Serves `metrics` at `http://{addr}/metrics` (hyper, HTTP/1.1) on the current tokio runtime;
/// returns the bound address (port 0 picks one).
pub async fn serve(addr: &str, metrics: Arc<Metrics>) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let metrics = Arc::clone(&metrics);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                    let response = respond(&metrics, &request);
                    async move { Ok::<_, std::convert::Infallible>(response) }
                });
                let _ =
                    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    Ok(local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn renders_and_serves() {
        let metrics = Metrics::new();
        metrics.liquidations_lost_race.inc_by(2);
        metrics.observe_scan_latency(Duration::from_millis(30));
        let text = metrics.render();
        assert!(text.contains("ballast_liquidator_liquidations_lost_race_total 2"), "{text}");
        assert!(text.contains("ballast_liquidator_scan_latency_seconds_bucket{le=\"0.05\"} 1"), "{text}");
        assert!(text.contains("ballast_liquidator_scan_latency_seconds_bucket{le=\"0.025\"} 0"), "{text}");
        assert!(text.ends_with("# EOF\n"), "{text}");
        let addr = serve("127.0.0.1:0", metrics).await.unwrap();
        for (path, status) in [("/metrics", "200 OK"), ("/nothing", "404 Not Found")] {
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut response = String::new();
            stream.read_to_string(&mut response).await.unwrap();
            assert!(response.starts_with(&format!("HTTP/1.1 {status}")), "{response}");
            if status == "200 OK" {
                assert!(response.contains("ballast_liquidator_scans_total 0"), "{response}");
            }
        }
    }
}
