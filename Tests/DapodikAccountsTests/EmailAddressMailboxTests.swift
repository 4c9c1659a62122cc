import DapodikAccounts
import Testing

/// The mailbox an address delivers to: one account per mailbox, however the address is spelled.
struct EmailAddressMailboxTests {
    @Test(
        "Gmail ignores dots, case and a subaddress, under either of its domains",
        arguments: [
            "budisantoso@gmail.com", "budi.santoso@gmail.com", "Budi.Santoso@GMAIL.com", "b.u.d.i.santoso@gmail.com",
            "budisantoso+ptk@gmail.com", "budi.santoso+sd.negeri+1@gmail.com", "budi.santoso@googlemail.com",
            "BudiSantoso+x@googlemail.com",
        ])
    func gmail(_ spelling: String) throws {
        #expect(try EmailAddress(spelling).mailbox == "budisantoso@gmail.com")
    }

    @Test("a provider with subaddresses but meaningful dots keeps the dots, drops the subaddress")
    func subaddressOnly() throws {
        #expect(try EmailAddress("Budi.Santoso+ptk@belajar.id").mailbox == "budi.santoso@belajar.id")
        #expect(try EmailAddress("budi.santoso@belajar.id").mailbox != EmailAddress("budisantoso@belajar.id").mailbox)
        #expect(try EmailAddress("ani_l+dapodik@outlook.com").mailbox == "ani_l@outlook.com")
        #expect(try EmailAddress("ani.l+a+b@icloud.com").mailbox == "ani.l@icloud.com")
        #expect(try EmailAddress("Ani.L+x@me.com").mailbox == "ani.l@icloud.com")
        #expect(try EmailAddress("alice.user+x@pm.me").mailbox == "alice.user@protonmail.com")
        #expect(try EmailAddress("alice.user@protonmail.ch").mailbox == "alice.user@protonmail.com")
        #expect(try EmailAddress("budi+x@outlook.co.id").mailbox == "budi@outlook.co.id")
        // Outlook.com's domains are separate sets of names: no alias between them.
        #expect(try EmailAddress("budi@hotmail.com").mailbox != EmailAddress("budi@outlook.com").mailbox)
    }

    @Test(
        "elsewhere a dot or a + may be part of a real name: the mailbox is the canonical address",
        arguments: ["budi.santoso+ptk@sdn1.sch.id", "ani.lestari@yahoo.co.id", "dedi+k@mail.example.org"])
    func elsewhere(_ spelling: String) throws {
        let address = try EmailAddress(spelling)
        #expect(address.mailbox == address.canonical)
    }

    @Test("a + that starts the local part, or dots that are all the local part leaves, are kept")
    func edges() throws {
        #expect(try EmailAddress("+ptk@gmail.com").mailbox == "+ptk@gmail.com")
        #expect(try EmailAddress("a+@gmail.com").mailbox == "a@gmail.com")
        // Not a Gmail domain: a look-alike keeps everything.
        #expect(
            try EmailAddress("budi.santoso@gmail.com.evil.example").mailbox == "budi.santoso@gmail.com.evil.example")
        #expect(try EmailAddress("budi.santoso@mail.gmail.com").mailbox == "budi.santoso@mail.gmail.com")
    }

    @Test("every listed alias maps to a domain that is handled, and none to itself")
    func tables() {
        for (alias, main) in EmailAddress.domainAliases {
            #expect(alias != main)
            #expect(EmailAddress.subaddressDomains.contains(main))
            // Mapped before the subaddress rule is looked up: listing an alias there would do nothing.
            #expect(!EmailAddress.subaddressDomains.contains(alias))
        }
        #expect(EmailAddress.subaddressDomains.allSatisfy { $0 == $0.lowercased() && $0.contains(".") })
    }
}
