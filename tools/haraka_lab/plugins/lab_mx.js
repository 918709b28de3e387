'use strict'
// The Haraka lab's routes: where outbound delivers each domain, instead of its MX.
//
// Haraka's outbound asks the get_mx hook first and looks the MX up in DNS only
// when no plugin answers.  The lab's domains (the scripted receiving server,
// the bounce mailbox, a port where nothing listens, a local mail store spoken
// to over LMTP) are each a section of config/lab_mx.ini naming a loopback host
// and port.  Any other domain falls through to Haraka's own MX lookup, which
// [main] nameserver points at the lab's stub nameserver (as a private
// resolv.conf would), so "the domain does not exist" is a real lookup and no
// query leaves the machine.

exports.register = function () {
    this.load_routes()
}

exports.load_routes = function () {
    this.routes = this.config.get('lab_mx.ini', 'ini', () => {
        this.load_routes()
    })
    const nameserver = this.routes.main?.nameserver
    if (nameserver) {
        // The resolver haraka-net-utils' get_mx uses (one per process).
        require('haraka-net-utils/lib/dns_config').getDnsResolver().setServers([nameserver])
    }
}

exports.hook_get_mx = function (next, hmail, domain) {
    const route = this.routes[domain.toLowerCase()]
    if (!route) return next() // Haraka's own MX lookup
    next(OK, {
        exchange: route.host,
        port: Number(route.port),
        using_lmtp: String(route.lmtp) === 'true',
        priority: 0,
    })
}
