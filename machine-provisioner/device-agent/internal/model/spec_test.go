package model

import "testing"

func TestSanitizedDropsEntriesThatWouldBecomeBadPaths(t *testing.T) {
	in := Spec{ActionsAcknowledged: 4, Workloads: []SeedWorkload{
		{Name: "pumps", Live: &Version{SpecHash: "abc", Pod: "p"}},
		{Name: "../etc", Live: &Version{SpecHash: "abc", Pod: "p"}},
		{Name: "valves", Live: &Version{SpecHash: "../x", Pod: "p"}},
		{Name: "meter", Staged: &Version{SpecHash: "abc"}},
		{Name: "pumps"},
	}}
	out, problems := in.Sanitized()
	if len(out.Workloads) != 1 || out.Workloads[0].Name != "pumps" || out.ActionsAcknowledged != 4 {
		t.Errorf("kept %+v", out.Workloads)
	}
	if len(problems) != 4 {
		t.Errorf("problems %v", problems)
	}
}

func TestNames(t *testing.T) {
	for _, ok := range []string{"pumps", "a", "p-1"} {
		if CheckWorkloadName(ok) != nil {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "Pumps", "-p", "p-", "a.b", "a_b", string(make([]byte, 64))} {
		if CheckWorkloadName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
