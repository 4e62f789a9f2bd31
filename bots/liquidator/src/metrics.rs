//! Prometheus metrics: atomic counters rendered in the text exposition format (0.0.4), served by
//! a tiny HTTP responder on a std `TcpListener` (`GET /metrics`).

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

/// Upper bounds (seconds) of the scan latency histogram buckets.
const LATENCY_BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

#[derive(Default)]
pub struct Metrics {
    pub scans: AtomicU64,
    pub scan_errors: AtomicU64,
    pub obligations_scanned: AtomicU64,
    pub unhealthy_found: AtomicU64,
    pub evaluation_errors: AtomicU64,
    pub skipped_unprofitable: AtomicU64,
    pub skipped_no_funds: AtomicU64,
    pub dry_run_planned: AtomicU64,
    pub liquidations_sent: AtomicU64,
    pub liquidations_landed: AtomicU64,
    pub liquidations_failed: AtomicU64,
    pub liquidations_lost_race: AtomicU64,
    pub write_offs_sent: AtomicU64,
    pub write_offs_landed: AtomicU64,
    pub write_offs_failed: AtomicU64,
    pub auction_marks_sent: AtomicU64,
    pub auction_marks_landed: AtomicU64,
    pub auction_marks_failed: AtomicU64,
    pub transport_retries: AtomicU64,
    /// Sum of USD profit (spot) of landed liquidations, in micro-USD.
    pub profit_micro_usd: AtomicU64,
    pub last_scan_obligations: AtomicU64,
    pub last_scan_unhealthy: AtomicU64,
    latency_buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        Arc::new(Metrics::default())
    }

    pub fn observe_scan_latency(&self, latency: Duration) {
        let secs = latency.as_secs_f64();
        for (bucket, bound) in self.latency_buckets.iter().zip(LATENCY_BUCKETS) {
            if secs <= bound {
                bucket.fetch_add(1, Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Relaxed);
        self.latency_sum_micros.fetch_add(latency.as_micros() as u64, Relaxed);
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counters: [(&str, &AtomicU64, &str); 20] = [
            ("scans_total", &self.scans, "Scan passes started"),
            ("scan_errors_total", &self.scan_errors, "Scan passes that failed on the transport"),
            ("obligations_scanned_total", &self.obligations_scanned, "Obligations evaluated"),
            ("unhealthy_found_total", &self.unhealthy_found, "Obligations found with maintenance health below zero"),
            (
                "evaluation_errors_total",
                &self.evaluation_errors,
                "Obligations whose health could not be computed (missing reserve, stale or invalid oracle)",
            ),
            (
                "skipped_unprofitable_total",
                &self.skipped_unprofitable,
                "Unhealthy obligations with no liquidation above min_profit_usd",
            ),
            (
                "skipped_no_funds_total",
                &self.skipped_no_funds,
                "Liquidations skipped: no repay tokens or no collateral token account",
            ),
            ("dry_run_planned_total", &self.dry_run_planned, "Liquidations planned but not sent (dry run)"),
            ("liquidations_sent_total", &self.liquidations_sent, "Liquidation transactions submitted"),
            ("liquidations_landed_total", &self.liquidations_landed, "Liquidation transactions that succeeded"),
            (
                "liquidations_failed_total",
                &self.liquidations_failed,
                "Liquidations that failed for a reason other than a lost race",
            ),
            (
                "liquidations_lost_race_total",
                &self.liquidations_lost_race,
                "Liquidations lost to another liquidator (obligation healthy or changed)",
            ),
            ("write_offs_sent_total", &self.write_offs_sent, "Bad-debt write-offs (socialize_loss) submitted"),
            ("write_offs_landed_total", &self.write_offs_landed, "Bad-debt write-offs that succeeded"),
            (
                "write_offs_failed_total",
                &self.write_offs_failed,
                "Bad-debt write-offs that failed for a reason other than a lost race",
            ),
            ("auction_marks_sent_total", &self.auction_marks_sent, "Dutch-auction marks (mark_liquidatable) submitted"),
            ("auction_marks_landed_total", &self.auction_marks_landed, "Dutch-auction marks that succeeded"),
            (
                "auction_marks_failed_total",
                &self.auction_marks_failed,
                "Dutch-auction marks that failed for a reason other than a lost race",
            ),
            ("transport_retries_total", &self.transport_retries, "Transport requests retried after an error"),
            (
                "profit_micro_usd_total",
                &self.profit_micro_usd,
                "Planned profit of landed liquidations, micro-USD at spot prices",
            ),
        ];
        for (name, value, help) in counters {
            let _ = writeln!(out, "# HELP ballast_liquidator_{name} {help}\n# TYPE ballast_liquidator_{name} counter\nballast_liquidator_{name} {}", value.load(Relaxed));
        }
        let gauges: [(&str, &AtomicU64, &str); 2] = [
            ("last_scan_obligations", &self.last_scan_obligations, "Obligations in the last scan"),
            ("last_scan_unhealthy", &self.last_scan_unhealthy, "Unhealthy obligations in the last scan"),
        ];
        for (name, value, help) in gauges {
            let _ = writeln!(out, "# HELP ballast_liquidator_{name} {help}\n# TYPE ballast_liquidator_{name} gauge\nballast_liquidator_{name} {}", value.load(Relaxed));
        }
        let name = "ballast_liquidator_scan_latency_seconds";
        let _ = writeln!(out, "# HELP {name} Wall time of one scan (fetch + evaluate)\n# TYPE {name} histogram");
        for (bucket, bound) in self.latency_buckets.iter().zip(LATENCY_BUCKETS) {
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {}", bucket.load(Relaxed));
        }
        let count = self.latency_count.load(Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {}", self.latency_sum_micros.load(Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {count}");
        out
    }
}

/// Serves `metrics` at `http://{addr}/metrics` from a background thread; returns the bound
/// address (port 0 picks one).
pub fn serve(addr: &str, metrics: Arc<Metrics>) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr)?;
    let local = listener.local_addr()?;
    std::thread::Builder::new().name("metrics".into()).spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 2048];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let path = request.split_whitespace().nth(1).unwrap_or("");
            let response = if request.starts_with("GET ") && (path == "/metrics" || path == "/") {
                let body = metrics.render();
                format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
            };
            let _ = stream.write_all(response.as_bytes());
        }
    })?;
    Ok(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_serves() {
        let metrics = Metrics::new();
        metrics.liquidations_lost_race.fetch_add(2, Relaxed);
        metrics.observe_scan_latency(Duration::from_millis(30));
        let text = metrics.render();
        assert!(text.contains("ballast_liquidator_liquidations_lost_race_total 2"));
        assert!(text.contains("ballast_liquidator_scan_latency_seconds_bucket{le=\"0.05\"} 1"));
        assert!(text.contains("ballast_liquidator_scan_latency_seconds_bucket{le=\"0.025\"} 0"));
        let addr = serve("127.0.0.1:0", metrics).unwrap();
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 200 OK"));
        assert!(response.contains("ballast_liquidator_scans_total 0"));
    }
}
