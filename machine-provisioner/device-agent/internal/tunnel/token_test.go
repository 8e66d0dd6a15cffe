package tunnel

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"
)

// jwt builds an unsigned token with the given claims as the payload's JSON members.
func jwt(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","kid":"k"}`)) + "." + enc([]byte("{"+claims+"}")) + "." + enc([]byte("signature"))
}

// tokenFor is a token issued at iat, valid for life.
func tokenFor(iat time.Time, life time.Duration) string {
	return jwt(fmt.Sprintf(`"aud":["system:konnectivity-server"],"iat":%d,"exp":%d,"sub":"system:serviceaccount:kube-system:konnectivity-agent"`,
		iat.Unix(), iat.Add(life).Unix()))
}

var t0 = time.Date(2026, 12, 6, 11, 0, 0, 0, time.UTC)

func TestParseTokenReadsIssuedAtAndExpiry(t *testing.T) {
	tok, err := ParseToken([]byte(tokenFor(t0, time.Hour) + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !tok.IssuedAt.Equal(t0) || !tok.Expires.Equal(t0.Add(time.Hour)) {
		t.Errorf("token %+v", tok)
	}
	// Padding is not part of a JWT, but costs nothing to accept.
	padded := "e30." + base64.URLEncoding.EncodeToString([]byte(`{"iat":1,"exp":2.5}`)) + ".c2ln"
	if tok, err := ParseToken([]byte(padded)); err != nil || tok.Expires.UnixMilli() != 2500 || !strings.Contains(padded, "=") {
		t.Errorf("padded payload, fractional NumericDate: %+v %v", tok, err)
	}
}

func TestMalformedTokensAreRefused(t *testing.T) {
	cases := map[string]string{
		"":                         "not a JWT",
		"garbage":                  "not a JWT",
		"a.b":                      "not a JWT",
		"a.%%%.c":                  "JWT payload",
		jwt(`"exp":100`):           "iat or exp missing",
		jwt(`"iat":100`):           "iat or exp missing",
		jwt(`"iat":100,"exp":100`): "is not after iat",
		jwt(`"iat":"x","exp":100`): "JWT payload",
		jwt(`"iat":-1,"exp":100`):  "is not a time",
		jwt(`"iat":1,"exp":1e300`): "is not a time",
		jwt(`"iat":1,"exp":null`):  "iat or exp missing",
		"x." + "e30" + ".y" + ".z": "not a JWT",
	}
	for raw, want := range cases {
		if _, err := ParseToken([]byte(raw)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseToken(%q) = %v, want an error with %q", raw, err, want)
		}
	}
}

func TestATokenIsDueAtHalfItsLife(t *testing.T) {
	tok, _ := ParseToken([]byte(tokenFor(t0, time.Hour)))
	for at, due := range map[time.Duration]bool{0: false, 29*time.Minute + 59*time.Second: false, 30 * time.Minute: true, 2 * time.Hour: true} {
		if got := tok.DueForRefresh(t0.Add(at)); got != due {
			t.Errorf("due at +%s = %v", at, got)
		}
	}
	if tok.Expired(t0.Add(59*time.Minute)) || !tok.Expired(t0.Add(time.Hour)) {
		t.Error("expiry")
	}
}
