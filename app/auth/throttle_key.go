package auth

import (
	"crypto/sha256"
	"net/netip"
)

// ThrottleKey makes the key of a site, username and client address: their
// SHA-256, so that every key takes 32 bytes however long a username is posted
// (which keeps MaxKeys a bound on memory), and distinct triples never share
// a key (NUL cannot occur in a schema name or an address). An IPv6 address
// counts as its /64 (clientNet).
func ThrottleKey(site, username, addr string) string {
	sum := sha256.Sum256([]byte(site + "\x00" + username + "\x00" + clientNet(addr)))
	return string(sum[:])
}

// accountKey makes the key of a site's username, as ThrottleKey does.
func accountKey(site, username string) string {
	sum := sha256.Sum256([]byte(site + "\x00" + username))
	return string(sum[:])
}

// clientNet is what the throttle counts one client as: an IPv4 address
// itself, an IPv6 address its /64. A subscriber is given a /64 (or more)
// and may use any of its 2^64 addresses, so counting single IPv6 addresses
// would give each guesser endless fresh ones. Anything that does not parse
// is counted as it is.
func clientNet(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	return netip.PrefixFrom(ip.WithZone(""), 64).Masked().String()
}
