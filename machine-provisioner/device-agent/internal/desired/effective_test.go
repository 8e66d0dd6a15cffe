package desired

import (
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/model"
)

func version(hash, v string) *model.Version {
	return &model.Version{SpecHash: hash, Version: v, Pod: "pod " + hash, Config: "config " + hash}
}

func seed() *model.Spec {
	return &model.Spec{ActionsAcknowledged: 10, Workloads: []model.SeedWorkload{
		{Name: "pumps", Generation: 7, Run: true, Live: version("aaa", "1.2.0"), Staged: version("bbb", "1.3.0")},
		{Name: "valves", Generation: 3, Run: false, Live: version("ccc", "2.0.0")},
	}}
}

func act(seq int64, w string, kind model.ActionKind, runs *model.Version) model.Action {
	return model.Action{Seq: seq, Workload: w, Action: kind, At: time.Unix(0, 0), Runs: runs}
}

func TestEffectiveWithoutActionsIsTheSeed(t *testing.T) {
	eff := Effective(seed(), nil)
	if len(eff) != 2 || eff[0].Name != "pumps" || eff[1].Name != "valves" {
		t.Fatalf("effective = %+v", eff)
	}
	if eff[0].Source != model.SourceSeed || eff[0].Generation != 7 || !eff[0].Run {
		t.Errorf("pumps = %+v", eff[0])
	}
}

func TestStopAndStart(t *testing.T) {
	eff := Effective(seed(), []model.Action{act(11, "pumps", model.ActionStop, nil), act(12, "valves", model.ActionStart, nil)})
	if p := Find(eff, "pumps"); p.Run || p.Source != model.SourceLocal {
		t.Errorf("pumps after stop = %+v", p)
	}
	if v := Find(eff, "valves"); !v.Run || v.Source != model.SourceLocal {
		t.Errorf("valves after start = %+v", v)
	}
}

func TestActionsReplayInSeqOrder(t *testing.T) {
	eff := Effective(seed(), []model.Action{act(13, "pumps", model.ActionStart, nil), act(12, "pumps", model.ActionStop, nil)})
	if !Find(eff, "pumps").Run {
		t.Error("stop (12) then start (13) must leave pumps running")
	}
}

func TestApplyMakesStagedLive(t *testing.T) {
	eff := Effective(seed(), []model.Action{act(11, "pumps", model.ActionApply, version("bbb", "1.3.0"))})
	p := Find(eff, "pumps")
	if p.Live.SpecHash != "bbb" || p.Staged != nil || !p.Run || p.Source != model.SourceLocal {
		t.Errorf("pumps after apply = %+v", p)
	}
}

func TestApplyKeepsWhatItAppliedWhateverTheSeedStagesMeanwhile(t *testing.T) {
	s := seed()
	s.Workloads[0].Staged = version("ddd", "1.4.0")
	p := Find(Effective(s, []model.Action{act(11, "pumps", model.ActionApply, version("bbb", "1.3.0"))}), "pumps")
	if p.Live.SpecHash != "bbb" || p.Staged == nil || p.Staged.SpecHash != "ddd" {
		t.Errorf("pumps = live %+v staged %+v", p.Live, p.Staged)
	}
}

func TestDeleteRemovesTheWorkload(t *testing.T) {
	eff := Effective(seed(), []model.Action{act(11, "valves", model.ActionDelete, nil)})
	if Find(eff, "valves") != nil || len(eff) != 1 {
		t.Errorf("effective after delete = %+v", eff)
	}
}

func TestImportOfANewWorkloadIsLocalWithGenerationZero(t *testing.T) {
	imported := act(11, "meter", model.ActionImport, version("eee", "0.9.0"))
	imported.HostPorts = true
	m := Find(Effective(seed(), []model.Action{imported}), "meter")
	if m == nil || m.Generation != 0 || !m.Run || !m.HostPorts || m.Live.SpecHash != "eee" || m.Source != model.SourceLocal {
		t.Errorf("meter = %+v", m)
	}
}

func TestImportOverAStoppedSeedWorkloadRunsIt(t *testing.T) {
	v := Find(Effective(seed(), []model.Action{act(11, "valves", model.ActionImport, version("fff", "2.1.0"))}), "valves")
	if !v.Run || v.Live.SpecHash != "fff" || v.Generation != 3 {
		t.Errorf("valves = %+v", v)
	}
}

func TestDeleteThenImportBringsItBack(t *testing.T) {
	eff := Effective(seed(), []model.Action{
		act(11, "pumps", model.ActionDelete, nil),
		act(12, "pumps", model.ActionImport, version("ggg", "1.5.0")),
	})
	// The local delete took the staged version with it; the seed entry's generation stays the base.
	if p := Find(eff, "pumps"); p == nil || p.Live.SpecHash != "ggg" || p.Staged != nil || p.Generation != 7 {
		t.Errorf("pumps = %+v", p)
	}
}

func TestStartOrStopOfAWorkloadTheSeedRemovedDoesNothing(t *testing.T) {
	eff := Effective(&model.Spec{}, []model.Action{act(1, "pumps", model.ActionStop, nil)})
	if len(eff) != 0 {
		t.Errorf("effective = %+v", eff)
	}
}

func TestAcknowledgedActionsAreNotReplayed(t *testing.T) {
	eff := Effective(seed(), []model.Action{act(10, "pumps", model.ActionStop, nil)})
	if !Find(eff, "pumps").Run {
		t.Error("an acknowledged stop (seq 10 <= 10) must not count: the seed entry decides")
	}
	if got := Pending(seed(), []model.Action{act(9, "a", model.ActionStop, nil), act(11, "b", model.ActionStop, nil)}); len(got) != 1 || got[0].Seq != 11 {
		t.Errorf("pending = %+v", got)
	}
}

func TestNoSpecYetMeansOnlyLocalWorkloads(t *testing.T) {
	eff := Effective(nil, []model.Action{act(1, "meter", model.ActionImport, version("eee", "0.9.0"))})
	if len(eff) != 1 || eff[0].Name != "meter" {
		t.Errorf("effective = %+v", eff)
	}
}
