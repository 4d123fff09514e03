// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import "testing"

// TestReferralsChangedByOwnerOnly: the agency a case was referred to may
// read and work on it, and answer referrals, but not send, change or
// withdraw the case's referrals.
func TestReferralsChangedByOwnerOnly(t *testing.T) {
	owned := CaseAccess{CaseID: "c", AgencyID: "kin", ReferredTo: []string{"gom"}}
	referrals := PartResource(PartReferrals)
	tests := []struct {
		name   string
		agency string
		roles  []Role
		res    Resource
		act    Action
		want   bool
	}{
		{"owner caseworker refers", "kin", []Role{RoleCaseworker}, referrals, ActCreate, true},
		{"owner supervisor withdraws", "kin", []Role{RoleSupervisor}, referrals, ActDelete, true},
		{"referred caseworker reads referrals", "gom", []Role{RoleCaseworker}, referrals, ActRead, true},
		{"referred caseworker refers onward", "gom", []Role{RoleCaseworker}, referrals, ActCreate, false},
		{"referred supervisor changes a referral", "gom", []Role{RoleSupervisor}, referrals, ActUpdate, false},
		{"referred supervisor deletes a referral", "gom", []Role{RoleSupervisor}, referrals, ActDelete, false},
		{"referred caseworker comments", "gom", []Role{RoleCaseworker}, PartResource(PartComments), ActCreate, true},
		{"stranger reads", "lub", []Role{RoleCaseworker}, referrals, ActRead, false},
	}
	for _, tt := range tests {
		p := &Principal{AgencyID: tt.agency, Roles: tt.roles}
		if got := p.Can(tt.res, tt.act, owned); got != tt.want {
			t.Errorf("%s: Can = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !(&Principal{AgencyID: "gom", Roles: []Role{RoleCaseworker}}).MayAnswerReferrals() {
		t.Error("a caseworker may not answer referrals")
	}
	for _, r := range []Role{RoleJustice, RoleCoordinator, RoleAdmin} {
		if (&Principal{AgencyID: "gom", Roles: []Role{r}}).MayAnswerReferrals() {
			t.Errorf("%s may answer referrals", r)
		}
	}
}
