// SPDX-License-Identifier: AGPL-3.0-or-later

package names

// familyNames are common family names of the Democratic Republic of the
// Congo, most common first as far as the order of the lists of victims,
// voters and pupils that circulate publicly lets one guess (the rank only
// sets the Zipf weight, see Generator): Luba of Kasai and Katanga first,
// then Kongo, Lingala-speaking Equateur and Kinshasa, Nande and Shi of the
// Kivus, Swahili-speaking Maniema and Tanganyika, Tetela and Mongo.
// Spellings are the usual ones; Variants derives the others.
var familyNames = []string{
	// Luba (Kasai, Katanga)
	"Mukendi", "Ilunga", "Kalonji", "Mbuyi", "Kasongo", "Ngoy", "Kabongo", "Mutombo", "Tshibangu", "Kazadi",
	"Mwamba", "Kabila", "Ntumba", "Kabeya", "Mulumba", "Lukusa", "Banza", "Nkulu", "Kanku", "Tshisekedi",
	"Mbayo", "Kapinga", "Mujinga", "Ngalula", "Kayembe", "Lumbala", "Ngandu", "Kitenge", "Mpoyi", "Kalala",
	"Kabasele", "Tshimanga", "Mbombo", "Mukenge", "Kalombo", "Mukadi", "Tshilombo", "Kabamba", "Kasanda", "Musau",
	"Tshiala", "Nsenga", "Kamanga", "Mulamba", "Kanyinda", "Kalenga", "Beya", "Mpiana", "Tshiyombo", "Mukuta",
	"Kabemba", "Kashala", "Kamwanya", "Mutamba", "Kasuku", "Mbiya", "Lubamba", "Kalubi", "Mukuna", "Tshilumba",
	"Kapend", "Numbi", "Kyungu", "Mwepu", "Kalwa", "Monga", "Nday", "Kasongo-Nyembo", "Kahilu", "Mpanga",
	// Kongo (Kongo-Central, Kinshasa)
	"Nsimba", "Nzuzi", "Makiese", "Lukombo", "Mavungu", "Matondo", "Luzolo", "Nlandu", "Kiese", "Mabiala",
	"Malonga", "Mbemba", "Ndongala", "Nkanga", "Mbuta", "Kiala", "Landu", "Nkodia", "Mpanzu", "Lutete",
	"Mabanza", "Diambu", "Kimbembe", "Ndombasi", "Makengo", "Nsumbu", "Vuvu", "Masamba", "Ntoto", "Kinkela",
	"Nzeza", "Mvemba", "Mayala", "Ngoma", "Mbungu", "Kuzunda", "Nsiala", "Lusamba", "Nkembo", "Mambweni",
	// Equateur, Kinshasa (Lingala)
	"Mbala", "Bemba", "Bongo", "Likulia", "Mokonzi", "Ekofo", "Bosenge", "Boyoko", "Engulu", "Bolamba",
	"Bokele", "Lokwa", "Ebengo", "Mongala", "Likinda", "Botamba", "Ilonga", "Elonga", "Mbomba", "Nkoy",
	"Bokungu", "Ngbanda", "Mobutu", "Litho", "Mokili", "Bofenda", "Liyolo", "Esambo", "Ngando", "Yoka",
	// Nande, Shi, Hunde (Nord- and Sud-Kivu)
	"Kambale", "Kasereka", "Kahindo", "Masika", "Kavira", "Paluku", "Muhindo", "Katembo", "Mumbere", "Kasika",
	"Kataliko", "Vahwere", "Kyakimwa", "Kakule", "Mbusa", "Sikuli", "Bahati", "Cirimwami", "Bisimwa", "Mugisho",
	"Bashige", "Murhula", "Cikuru", "Zihindula", "Mirindi", "Balagizi", "Birindwa", "Kabare", "Mushagalusa", "Mapendo",
	// Swahili-speaking (Maniema, Tanganyika, Haut-Katanga)
	"Amisi", "Ramazani", "Shabani", "Assani", "Saidi", "Salumu", "Kasongo-Mwana", "Kabulo", "Kibwe", "Mwenze",
	"Kitwa", "Mutanga", "Kisimba", "Yumba", "Ngwej", "Musumbu", "Lwamba", "Mulongoy", "Kalumba", "Mbuyu",
	// Tetela, Mongo (Sankuru, Tshopo)
	"Lumumba", "Okitundu", "Onema", "Omba", "Shungu", "Lomami", "Wembo", "Olenga", "Diumasumbu", "Okito",
	"Lofungola", "Loseke", "Ekila", "Lotika", "Yenga", "Bolumbu", "Lokanga", "Oleko", "Tshombe", "Kasa-Vubu",
}

// givenName is a given name and the gender it is usually given to.
type givenName struct {
	name     string
	feminine bool
}

// givenNames are given names common among Congolese victims: French
// (Christian) names, the names of virtues and blessings coined in French
// since the 1970s (Merveille, Chancelvie, Plamedi, Exaucé, Héritier),
// Swahili names of the east (Neema, Furaha, Amani) and Lingala ones
// (Bolingo, Elikya). Most common first; spelled with their accents, as
// civil registers write them.
var givenNames = []givenName{
	{"Marie", true}, {"Jean", false}, {"Grâce", true}, {"Joseph", false}, {"Patience", true},
	{"Espérance", true}, {"Dieudonné", false}, {"Merveille", true}, {"Divine", true}, {"Héritier", false},
	{"Fiston", false}, {"Gloire", false}, {"Bienvenu", false}, {"Thérèse", true}, {"Jeanne", true},
	{"Pierre", false}, {"Chantal", true}, {"Exaucé", false}, {"Bénédicte", true}, {"Christine", true},
	{"Plamedi", false}, {"Chancelvie", true}, {"Sarah", true}, {"Rachel", true}, {"Esther", true},
	{"Emmanuel", false}, {"Patrick", false}, {"Trésor", false}, {"Francine", true}, {"Jean-Pierre", false},
	{"Jean-Claude", false}, {"Marie-Claire", true}, {"Papy", false}, {"Nathalie", true}, {"Josué", false},
	{"Ruth", true}, {"Déborah", true}, {"Neema", true}, {"Furaha", true}, {"Amani", false},
	{"Christian", false}, {"Clarisse", true}, {"Béatrice", true}, {"Cécile", true}, {"Julienne", true},
	{"Paul", false}, {"André", false}, {"Jacques", false}, {"Serge", false}, {"Didier", false},
	{"Mireille", true}, {"Nadège", true}, {"Odette", true}, {"Pascaline", true}, {"Solange", true},
	{"Sylvie", true}, {"Véronique", true}, {"Yvette", true}, {"Arlette", true}, {"Aimée", true},
	{"Anuarite", true}, {"Bernadette", true}, {"Blandine", true}, {"Carine", true}, {"Christelle", true},
	{"Dorcas", true}, {"Elodie", true}, {"Emmanuella", true}, {"Gisèle", true}, {"Huguette", true},
	{"Irène", true}, {"Jolie", true}, {"Laetitia", true}, {"Lydie", true}, {"Mamie", true},
	{"Nelly", true}, {"Prisca", true}, {"Rosette", true}, {"Sifa", true}, {"Zawadi", true},
	{"Riziki", true}, {"Tumaini", true}, {"Faraja", true}, {"Mapendo", true}, {"Bolingo", true},
	{"Elikya", true}, {"Consolée", true}, {"Providence", true}, {"Bénie", true}, {"Sagesse", true},
	{"Mwajuma", true}, {"Aziza", true}, {"Naomi", true}, {"Rebecca", true}, {"Miriam", true},
	{"Sandrine", true}, {"Josée", true}, {"Jeannette", true}, {"Florence", true}, {"Claudine", true},
	{"Moïse", false}, {"Daniel", false}, {"David", false}, {"Samuel", false}, {"Élie", false},
	{"Isaac", false}, {"Abraham", false}, {"Gédéon", false}, {"Benjamin", false}, {"Jonathan", false},
	{"Junior", false}, {"Précieux", false}, {"Prince", false}, {"Glody", false}, {"Rodrigue", false},
	{"Blaise", false}, {"Cédric", false}, {"Guy", false}, {"Hervé", false}, {"Jérémie", false},
	{"Kevin", false}, {"Michel", false}, {"Nestor", false}, {"Ruffin", false}, {"Sylvain", false},
	{"Thierry", false}, {"Victor", false}, {"Yannick", false}, {"Ange", false}, {"Destin", false},
	{"Baraka", false}, {"Imani", false}, {"Ushindi", false}, {"Bahati", false}, {"Rachidi", false},
	{"Shabani", false}, {"Ramazani", false}, {"Olivier", false}, {"Alain", false}, {"Eric", false},
	{"Jean-Paul", false}, {"Jean-Marie", false}, {"Marie-Louise", true}, {"Félix", false}, {"Philippe", false},
	{"Christophe", false}, {"Espoir", false}, {"Dorcelle", true}, {"Chérubin", false}, {"Lucie", true},
}
