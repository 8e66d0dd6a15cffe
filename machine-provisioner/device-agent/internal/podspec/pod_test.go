package podspec

import "testing"

const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: pumps-aaa
  namespace: edgeplane-workloads
  labels:
    edgeplane.io/workload: pumps
spec:
  containers:
  - name: app
    image: reg/app:1.2.0
    ports:
    - containerPort: 8080
  - name: exporter
    image: reg/exporter:2
`

func TestReadsContainersAndImages(t *testing.T) {
	p, err := Parse(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if names := p.ContainerNames(); len(names) != 2 || names[0] != "app" || names[1] != "exporter" {
		t.Errorf("containers %v", names)
	}
	if images := p.Images(); len(images) != 2 || images[1] != "reg/exporter:2" {
		t.Errorf("images %v", images)
	}
	if p.UsesHostPorts() {
		t.Error("a container port is not a host port")
	}
	if err := p.CheckFor("pumps"); err != nil {
		t.Error(err)
	}
	if err := p.CheckFor("valves"); err == nil {
		t.Error("a pod of another workload passed")
	}
}

func TestHostPortsAndHostNetwork(t *testing.T) {
	withPort, _ := Parse("kind: Pod\nspec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: 80\n      hostPort: 80\n")
	hostNet, _ := Parse(`{"kind":"Pod","spec":{"hostNetwork":true,"containers":[{"name":"a"}]}}`)
	if !withPort.UsesHostPorts() || !hostNet.UsesHostPorts() {
		t.Error("host ports or host network not seen")
	}
}

func TestNotAPod(t *testing.T) {
	if _, err := Parse("kind: [unclosed"); err == nil {
		t.Error("broken YAML parsed")
	}
	p, _ := Parse("kind: ConfigMap\n")
	if err := p.CheckFor("pumps"); err == nil {
		t.Error("a ConfigMap passed as a pod")
	}
}

// As the seed manager renders it (WorkloadStaticPodBuilder, BundleWriter): a document marker,
// quoted scalars.
const rendered = `---
apiVersion: "v1"
kind: "Pod"
metadata:
  annotations:
    edgeplane.io/spec-hash: "46696da7e5"
  labels:
    app.kubernetes.io/managed-by: "edgeplane"
    edgeplane.io/workload: "hello"
    edgeplane.io/node: "edge-1"
  name: "hello-46696da7e5"
  namespace: "edgeplane-workloads"
spec:
  containers:
  - image: "10.222.0.1:5000/edgeplane/hello-http:1"
    name: "web"
    ports:
    - containerPort: 8080
      hostPort: 18080
      name: "http"
      protocol: "TCP"
`

func TestReadsTheSeedManagersRendering(t *testing.T) {
	p, err := Parse(rendered)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CheckFor("hello"); err != nil {
		t.Error(err)
	}
	if !p.UsesHostPorts() || p.ContainerNames()[0] != "web" || p.Metadata.Annotations["edgeplane.io/spec-hash"] != "46696da7e5" {
		t.Errorf("read %+v", p)
	}
}
