package platformadmin_test

import (
	"testing"

	"polls/app/apptest"
)

func TestMain(m *testing.M) { apptest.Main(m) }
