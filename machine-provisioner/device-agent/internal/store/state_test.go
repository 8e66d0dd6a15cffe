package store

import (
	"os"
	"path/filepath"
	"testing"

	"edgeplane.io/device-agent/internal/model"
)

func TestMissingStateIsFresh(t *testing.T) {
	st, err := Load(t.TempDir())
	if err != nil || st.Spec != nil || st.NextSeq != 1 || len(st.Actions) != 0 {
		t.Fatalf("Load = %+v, %v", st, err)
	}
}

func TestSaveAndLoadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	st := Fresh()
	st.Spec = &model.Spec{ActionsAcknowledged: 2, Workloads: []model.SeedWorkload{{Name: "pumps", Run: true}}}
	st.ResourceVersion = "42"
	st.Actions = append(st.Actions, model.Action{Seq: st.NewSeq(), Workload: "pumps", Action: model.ActionStop})
	if err := Save(dir, st); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("state.json: %v %v", info, err)
	}
	back, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Spec.Workloads[0].Name != "pumps" || back.ResourceVersion != "42" || back.NextSeq != 4 || back.Actions[0].Seq != 3 {
		t.Errorf("loaded %+v", back)
	}
}

func TestCorruptStateIsAnError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil {
		t.Fatal("a corrupt state.json must stop the agent, not start it empty")
	}
}

func TestAcknowledgeDropsDecidedActions(t *testing.T) {
	st := Fresh()
	for _, seq := range []int64{1, 2, 3} {
		st.Actions = append(st.Actions, model.Action{Seq: seq})
	}
	if !st.Acknowledge(2) || len(st.Actions) != 1 || st.Actions[0].Seq != 3 {
		t.Errorf("after ack 2: %+v", st.Actions)
	}
	if st.Acknowledge(2) {
		t.Error("nothing left to drop")
	}
}

func TestSeqIsNeverReusedEvenAfterLostState(t *testing.T) {
	st := Fresh()
	st.Spec = &model.Spec{ActionsAcknowledged: 41}
	if seq := st.NewSeq(); seq != 42 {
		t.Errorf("first seq after ack 41 = %d", seq)
	}
	if seq := st.NewSeq(); seq != 43 {
		t.Errorf("next seq = %d", seq)
	}
}

func TestAStateOfAnotherNodeIsNotCarriedOver(t *testing.T) {
	st := Fresh()
	st.Node = "edge-1"
	st.NextSeq = 7
	st.Actions = append(st.Actions, model.Action{Seq: 6, Workload: "pumps", Action: "stop"})
	same, kept := st.For("edge-1")
	if !kept || same.NextSeq != 7 || len(same.Actions) != 1 {
		t.Fatalf("the same node keeps its state, got kept=%v %+v", kept, same)
	}
	other, kept := st.For("edge-9")
	if kept || other.Node != "edge-9" || other.NextSeq != 1 || len(other.Actions) != 0 || other.Spec != nil {
		t.Fatalf("another node starts afresh, got kept=%v %+v", kept, other)
	}
	unnamed, kept := Fresh().For("edge-1")
	if !kept || unnamed.Node != "edge-1" {
		t.Fatalf("a state of no node yet becomes this node's, got kept=%v %+v", kept, unnamed)
	}
}
