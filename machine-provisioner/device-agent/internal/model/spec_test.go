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

func TestSanitizedKeepsAGoodOnboardingRequestAndDropsABadOne(t *testing.T) {
	good := OnboardingSpec{Request: 2, Image: "10.222.0.1:5000/edgeplane/pause:3.10", MinFreeDiskMiB: 1024, MinFreeMemoryMiB: 128,
		MaxClockSkewSeconds: 30}
	out, problems := Spec{Onboarding: &good}.Sanitized()
	if out.Onboarding == nil || *out.Onboarding != good || len(problems) != 0 {
		t.Fatalf("kept %+v, problems %v", out.Onboarding, problems)
	}
	for _, bad := range []OnboardingSpec{
		{Request: 0, Image: good.Image, MaxClockSkewSeconds: 30},
		{Request: 1, Image: "pause\n  command: [sh]", MaxClockSkewSeconds: 30},
		{Request: 1, Image: `pause"`, MaxClockSkewSeconds: 30},
		{Request: 1, Image: good.Image, MaxClockSkewSeconds: 0},
		{Request: 1, Image: good.Image, MinFreeDiskMiB: -1, MaxClockSkewSeconds: 30},
	} {
		out, problems := Spec{Onboarding: &bad}.Sanitized()
		if out.Onboarding != nil || len(problems) != 1 {
			t.Errorf("%+v: kept %+v, problems %v", bad, out.Onboarding, problems)
		}
	}
}
