package tenant

import (
	"slices"
	"testing"
)

func TestRegistryChangesGatherTenantsAndTheHighestVersion(t *testing.T) {
	var c registryChanges
	c.add("v:41 ids:7,9")
	c.add("v:43 ids:9,12")
	c.add("v:42 ids:3")
	all, ids, version := c.take()
	slices.Sort(ids)
	if all || !slices.Equal(ids, []int64{3, 7, 9, 12}) || version != 43 {
		t.Fatalf("take() = %v, %v, %d; want false, [3 7 9 12], 43", all, ids, version)
	}
	if all, ids, version := c.take(); all || ids != nil || version != 0 {
		t.Fatalf("a second take() = %v, %v, %d; want nothing", all, ids, version)
	}
	for _, payload := range []string{"v:44 ids:all", "tenants", "domains", "v:x ids:1", "v:45 ids:1,two", ""} {
		c.add(payload)
		if all, _, _ := c.take(); !all {
			t.Errorf("after %q, take() asks for no full reload", payload)
		}
	}
}
