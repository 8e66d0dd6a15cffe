// Package tunnel is the device agent's part in the cluster's reverse tunnel (konnectivity): it
// delivers the tunnel agent's token from the seed to the file the tunnel agent reads, and it
// watches the tunnel agent's health to report the tunnel's state in the status.
package tunnel

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strings"
	"time"
)

// Token is what the agent needs to know of a tunnel token: when it was issued and when it
// expires. The signature is the tunnel server's business; the agent only decides when to ask
// the seed for a fresh one.
type Token struct {
	IssuedAt, Expires time.Time
}

// ParseToken reads the iat and exp claims of a JWT's payload without verifying anything.
func ParseToken(raw []byte) (Token, error) {
	parts := strings.Split(string(bytes.TrimSpace(raw)), ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return Token{}, errors.New("not a JWT (header.payload.signature)")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Token{}, fmt.Errorf("JWT payload: %w", err)
	}
	var claims struct {
		Iat, Exp *float64
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return Token{}, fmt.Errorf("JWT payload: %w", err)
	}
	if claims.Iat == nil || claims.Exp == nil {
		return Token{}, errors.New("JWT payload: iat or exp missing")
	}
	for _, v := range []float64{*claims.Iat, *claims.Exp} {
		if v < 0 || v > maxNumericDate {
			return Token{}, fmt.Errorf("JWT payload: %v is not a time", v)
		}
	}
	iat, exp := numericDate(*claims.Iat), numericDate(*claims.Exp)
	if !exp.After(iat) {
		return Token{}, fmt.Errorf("JWT payload: exp %s is not after iat %s", stamp(exp), stamp(iat))
	}
	return Token{IssuedAt: iat, Expires: exp}, nil
}

// DueForRefresh: the seed re-mints a token with less than half its life left, so from then on
// a newer one may be waiting.
func (t Token) DueForRefresh(now time.Time) bool {
	return !now.Before(t.IssuedAt.Add(t.Expires.Sub(t.IssuedAt) / 2))
}

// Expired: the tunnel server refuses it.
func (t Token) Expired(now time.Time) bool { return !now.Before(t.Expires) }

// readToken reads the token file: present says whether it holds a token; a file that is
// missing or holds something that is not a JWT with iat and exp counts as no token.
func readToken(path string) (raw []byte, tok Token, present bool, err error) {
	raw, err = os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Token{}, false, nil
	}
	if err != nil {
		return nil, Token{}, false, err
	}
	tok, perr := ParseToken(raw)
	return raw, tok, perr == nil, nil
}

// maxNumericDate is far beyond any token's life (year 5138) and well within int64 nanoseconds.
const maxNumericDate = 1e11

// numericDate is a JWT NumericDate (seconds since the epoch, possibly fractional).
func numericDate(v float64) time.Time {
	sec, frac := math.Modf(v)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
