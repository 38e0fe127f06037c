//! The client's IP address: the peer's, or from `X-Forwarded-For` when the peer is a trusted proxy.

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::HeaderMap;

const FORWARDED_FOR: &str = "x-forwarded-for";

/// Resolves the client IP of a request that came from `peer`.
///
/// `X-Forwarded-For` is read only when `peer` is in `trusted`, since anyone else can write any value in
/// it. Each proxy appends the address it received from, so the header is walked from the right,
/// skipping trusted proxies; the first untrusted entry is the client. A malformed entry stops the
/// walk at the last address known to be real.
pub(crate) fn resolve(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let mut client = peer;
    let entries = headers
        .get_all(FORWARDED_FOR)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect::<Vec<_>>();
    for entry in entries.iter().rev() {
        match entry.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted.contains(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    Some(client)
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static(FORWARDED_FOR),
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    const PROXY: &str = "10.0.0.1";

    fn resolve_from(peer: &str, forwarded: &str) -> IpAddr {
        let peer = SocketAddr::new(peer.parse().unwrap(), 40_000);
        resolve(Some(peer), &headers(forwarded), &[PROXY.parse().unwrap()]).unwrap()
    }

    #[test]
    fn untrusted_peers_cannot_spoof_their_address() {
        assert_eq!(
            resolve_from("198.51.100.7", "203.0.113.9"),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn the_right_most_untrusted_entry_is_the_client() {
        // The left-most entry is whatever the client claimed; the proxy appended the real one.
        assert_eq!(
            resolve_from(PROXY, "1.1.1.1, 203.0.113.9, 10.0.0.1"),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn a_malformed_entry_stops_at_the_last_real_address() {
        assert_eq!(
            resolve_from(PROXY, "garbage"),
            PROXY.parse::<IpAddr>().unwrap()
        );
    }
}
