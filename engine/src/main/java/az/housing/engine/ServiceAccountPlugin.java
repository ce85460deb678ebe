package az.housing.engine;

import org.operaton.bpm.engine.AuthorizationService;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.authorization.Authorization;
import org.operaton.bpm.engine.authorization.Groups;
import org.operaton.bpm.engine.authorization.Permissions;
import org.operaton.bpm.engine.authorization.Resource;
import org.operaton.bpm.engine.authorization.Resources;
import org.operaton.bpm.engine.identity.Group;
import org.operaton.bpm.engine.identity.User;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's service account: an engine user in the admin group {@code operaton-admin}, which holds
 * every permission on every resource (as Operaton's own admin setup grants). Created on the first
 * start; its password is reset to ENGINE_PASSWORD on every start, so the configuration is the only
 * place the password lives. No other (demo) user is ever created. Runs before Tomcat accepts
 * requests, so the web apps' anonymous "create the first admin" setup page is never available.
 */
class ServiceAccountPlugin extends AbstractProcessEnginePlugin {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountPlugin.class);

  private final String userId;
  private final String password;

  ServiceAccountPlugin(String userId, String password) {
    this.userId = userId;
    this.password = password;
  }

  /**
   * No login throttling: by default the engine delays a user's next sign-in by 3 s (doubling) after
   * each wrong password and locks the user for good after 10. With one service account, that
   * lets any local process that can reach the port lock the app out of its engine (a wrong
   * password costs the app seconds of 401s, ten of them an outage). The account's password is
   * at least 16 random characters and the port is bound to loopback, so guessing is not the risk.
   */
  @Override
  public void preInit(ProcessEngineConfigurationImpl conf) {
    conf.setLoginDelayBase(0);
    conf.setLoginDelayMaxTime(0);
    conf.setLoginMaxAttempts(Integer.MAX_VALUE);
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    IdentityService identity = engine.getIdentityService();
    AuthorizationService authz = engine.getAuthorizationService();

    User user = identity.createUserQuery().userId(userId).singleResult();
    boolean created = user == null;
    if (created) {
      user = identity.newUser(userId);
      user.setFirstName("Housing");
      user.setLastName("Platform");
    }
    user.setPassword(password);
    identity.saveUser(user);
    identity.unlockUser(userId); // a lock from earlier wrong passwords ends with the restart

    String adminGroup = Groups.OPERATON_ADMIN;
    if (identity.createGroupQuery().groupId(adminGroup).singleResult() == null) {
      Group group = identity.newGroup(adminGroup);
      group.setName("Operaton administrators");
      group.setType(Groups.GROUP_TYPE_SYSTEM);
      identity.saveGroup(group);
    }
    if (identity.createUserQuery().userId(userId).memberOfGroup(adminGroup).count() == 0) {
      identity.createMembership(userId, adminGroup);
    }
    for (Resource resource : Resources.values()) {
      boolean granted =
          authz.createAuthorizationQuery()
                  .groupIdIn(adminGroup)
                  .resourceType(resource)
                  .resourceId(Authorization.ANY)
                  .count()
              > 0;
      if (granted) continue;
      Authorization a = authz.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
      a.setGroupId(adminGroup);
      a.setResource(resource);
      a.setResourceId(Authorization.ANY);
      a.addPermission(Permissions.ALL);
      authz.saveAuthorization(a);
    }
    LOG.info(
        "service account '{}' {} (member of {}, password from ENGINE_PASSWORD)",
        userId,
        created ? "created" : "updated",
        adminGroup);
  }
}
