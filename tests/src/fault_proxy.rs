//! A fault-injecting JSON-RPC proxy for the bot's fault tests: it sits in front of the local node
//! on loopback and, per JSON-RPC method, answers a planned fault instead of (or after) the
//! node's answer: an HTTP error, a lost response (the request reached the node, the answer never
//! comes back), a late arrival (no answer, and the request reaches the node later), a slow
//! answer, a stale answer (the last one the node gave to the same request, arriving late and out
//! of order), or no connection at all (the node unreachable, as during a restart). It counts
//! what it forwarded, per method.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 503, not forwarded.
    HttpError,
    /// Forwarded; the connection then closes without an answer.
    LoseResponse,
    /// The connection closes without an answer at once; the request reaches the node this much
    /// later (a transaction delayed on its way to the leader).
    LateArrival(Duration),
    /// Forwarded; answered after this long.
    Slow(Duration),
    /// The node's last answer to the same request (forwarded fresh when there is none).
    Stale,
    /// The connection closes before anything is read or forwarded.
    Unreachable,
}

#[derive(Default)]
struct State {
    /// Per method ("*": any): faults still to inject, in order.
    plan: HashMap<String, Vec<Fault>>,
    /// Requests forwarded to the node, per method.
    forwarded: HashMap<String, u64>,
    /// Faults injected, per method.
    injected: HashMap<String, u64>,
    /// The node's first answer per request (method and params; the JSON-RPC id aside).
    last: HashMap<String, String>,
}

#[derive(Clone)]
pub struct FaultProxy {
    pub url: String,
    node: String,
    state: Arc<Mutex<State>>,
}

impl FaultProxy {
    /// A proxy on a free loopback port in front of `node_url` (`http://127.0.0.1:PORT`).
    pub fn start(node_url: &str) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let node = node_url.trim_start_matches("http://").trim_end_matches('/').to_string();
        let proxy = FaultProxy { url, node, state: Arc::default() };
        let serving = proxy.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let proxy = serving.clone();
                std::thread::spawn(move || proxy.serve(stream));
            }
        });
        proxy
    }

    /// Injects `faults`, in order, on the next requests of `method` ("*": any method).
    pub fn plan(&self, method: &str, faults: &[Fault]) {
        self.state.lock().unwrap().plan.entry(method.to_string()).or_default().extend_from_slice(faults);
    }

    pub fn clear(&self) {
        self.state.lock().unwrap().plan.clear();
    }

    pub fn forwarded(&self, method: &str) -> u64 {
        self.state.lock().unwrap().forwarded.get(method).copied().unwrap_or(0)
    }

    pub fn injected(&self, method: &str) -> u64 {
        self.state.lock().unwrap().injected.get(method).copied().unwrap_or(0)
    }

    fn next_fault(&self, method: &str) -> Option<Fault> {
        let mut state = self.state.lock().unwrap();
        for key in [method, "*"] {
            if let Some(faults) = state.plan.get_mut(key) {
                if !faults.is_empty() {
                    let fault = faults.remove(0);
                    *state.injected.entry(method.to_string()).or_default() += 1;
                    return Some(fault);
                }
            }
        }
        None
    }

    /// Requests on one keep-alive connection until the client closes it or a fault does.
    fn serve(&self, stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut writer = stream;
        loop {
            let Some(body) = read_request(&mut reader) else { return };
            let request: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            let method = request["method"].as_str().unwrap_or_default().to_string();
            let key = format!("{method} {}", request["params"]);
            let answer = match self.next_fault(&method) {
                Some(Fault::Unreachable) => return,
                Some(Fault::HttpError) => {
                    let _ = writer.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
                    continue;
                }
                Some(Fault::LoseResponse) => {
                    self.forward(&method, &key, &body);
                    return;
                }
                Some(Fault::LateArrival(delay)) => {
                    let proxy = self.clone();
                    std::thread::spawn(move || {
                        std::thread::sleep(delay);
                        proxy.forward(&method, &key, &body);
                    });
                    return;
                }
                Some(Fault::Slow(delay)) => {
                    let answer = self.forward(&method, &key, &body);
                    std::thread::sleep(delay);
                    answer
                }
                Some(Fault::Stale) => {
                    let last = self.state.lock().unwrap().last.get(&key).cloned();
                    let answer = last.unwrap_or_else(|| self.forward(&method, &key, &body));
                    // The stale answer carries this request's id, as a late reply would.
                    let mut answer: serde_json::Value = serde_json::from_str(&answer).unwrap_or_default();
                    answer["id"] = request["id"].clone();
                    answer.to_string()
                }
                None => self.forward(&method, &key, &body),
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                answer.len()
            );
            if writer.write_all(head.as_bytes()).and_then(|_| writer.write_all(answer.as_bytes())).is_err() {
                return;
            }
        }
    }

    fn forward(&self, method: &str, key: &str, body: &str) -> String {
        *self.state.lock().unwrap().forwarded.entry(method.to_string()).or_default() += 1;
        let mut node = TcpStream::connect(&self.node).expect("node");
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.node,
            body.len()
        );
        node.write_all(request.as_bytes()).expect("forward");
        let mut response = String::new();
        node.read_to_string(&mut response).expect("node answer");
        let answer = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        // The first answer is kept for the stale fault: an earlier state of the chain.
        self.state.lock().unwrap().last.entry(key.to_string()).or_insert_with(|| answer.clone());
        answer
    }
}

/// One HTTP/1.1 request's body (Content-Length framing); `None` at the end of the connection.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<String> {
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}
